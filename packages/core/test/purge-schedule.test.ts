import { afterEach, describe, expect, it, vi } from 'vitest';
import { KVError } from '../src/errors.js';
import { startPurgeSchedule } from '../src/purge-schedule.js';

describe('startPurgeSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drains a backlog in one tick, then waits a whole interval; ticks never overlap', async () => {
    vi.useFakeTimers();
    const answers = [10, 10, 3, 0];
    let running = 0;
    let most = 0;
    const calls: number[] = [];
    const schedule = startPurgeSchedule(
      1000,
      10,
      async (batch) => {
        running++;
        most = Math.max(most, running);
        calls.push(batch);
        await new Promise((resolve) => setTimeout(resolve, 5000)); // slower than the interval
        running--;
        return answers.shift() ?? 0;
      },
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1 + 3 * 5000);
    expect(calls).toEqual([10, 10, 10]); // 10, 10, then a short batch ends the tick
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1 + 5000);
    expect(calls).toHaveLength(4);
    expect(most).toBe(1);
    schedule.stop();
  });

  it('reports failures to onError and keeps going; after stop nothing runs or is reported', async () => {
    vi.useFakeTimers();
    const failure = new KVError({ code: 'PURGE_FAILED', backend: 'postgres', op: 'purge' });
    const reported: KVError[] = [];
    let calls = 0;
    let failNext = true;
    const schedule = startPurgeSchedule(
      100,
      10,
      async () => {
        calls++;
        if (failNext) throw failure;
        return 0;
      },
      (error) => {
        reported.push(error);
        throw new Error('a throwing onError must not stop the schedule');
      },
    );
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    expect(reported).toEqual([failure]);
    expect(warnings).toHaveBeenCalledTimes(1);
    failNext = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    failNext = true;
    schedule.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    expect(reported).toHaveLength(1);
    warnings.mockRestore();
  });
});
