import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSweepSchedule } from '../src/sweep-schedule.js';

describe('startSweepSchedule', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one step per interval while there is no backlog', () => {
    const sweepOnce = vi.fn(() => false);
    const sweeper = startSweepSchedule(100, sweepOnce);
    vi.advanceTimersByTime(99);
    expect(sweepOnce).not.toHaveBeenCalled();
    vi.advanceTimersByTime(201);
    expect(sweepOnce).toHaveBeenCalledTimes(3);
    sweeper.stop();
  });

  it('continues a backlog at once instead of waiting for the next interval', () => {
    let backlogSteps = 4;
    const sweepOnce = vi.fn(() => backlogSteps-- > 0);
    const sweeper = startSweepSchedule(1000, sweepOnce);
    vi.advanceTimersByTime(1000);
    // Fake zero-delay timers fire one per advanced ms; the next interval is 990 ms away.
    vi.advanceTimersByTime(10);
    expect(sweepOnce).toHaveBeenCalledTimes(5);
    sweeper.stop();
  });

  it('stop() cancels the interval and a pending continuation', () => {
    const sweepOnce = vi.fn(() => true);
    const sweeper = startSweepSchedule(100, sweepOnce);
    vi.advanceTimersByTime(100);
    const calls = sweepOnce.mock.calls.length;
    sweeper.stop();
    vi.advanceTimersByTime(1000);
    expect(sweepOnce).toHaveBeenCalledTimes(calls);
  });
});
