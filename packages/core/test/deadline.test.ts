import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Interruption, raceInterruptions } from '../src/deadline.js';

/** A promise settled by the test. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const interrupted = (reason: Interruption) => new Error(`interrupted: ${reason}`);

afterEach(() => {
  vi.useRealTimers();
});

describe('raceInterruptions', () => {
  it('interrupts at once for a signal that was already aborted, leaving no timer behind', async () => {
    vi.useFakeTimers();
    const work = deferred<string>();
    const race = raceInterruptions(work.promise, AbortSignal.abort(), 1000, interrupted);
    await expect(race).rejects.toThrow('interrupted: ABORTED');
    expect(vi.getTimerCount()).toBe(0);
    work.resolve('late');
  });

  it('settles like the work and leaves no timer or abort listener behind', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const work = deferred<string>();
    const race = raceInterruptions(work.promise, controller.signal, 1000, interrupted);
    expect(vi.getTimerCount()).toBe(1);
    work.resolve('done');
    expect(await race).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('maps the work’s own failure with onFailure, with or without a deadline', async () => {
    const mapped = (error: unknown) => new Error(`mapped: ${(error as Error).message}`);
    for (const timeout of [undefined, 1000]) {
      const work = Promise.reject(new Error('driver'));
      await expect(
        raceInterruptions(work, undefined, timeout, interrupted, mapped),
      ).rejects.toThrow('mapped: driver');
    }
  });

  it('rejects at the deadline; the late failure is not mapped and not unhandled', async () => {
    vi.useFakeTimers();
    const slow = deferred<string>();
    const onFailure = vi.fn((error: unknown) => error);
    const race = raceInterruptions(slow.promise, undefined, 1000, interrupted, onFailure);
    const timedOut = expect(race).rejects.toThrow('interrupted: TIMEOUT');
    await vi.advanceTimersByTimeAsync(999);
    expect(onFailure).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await timedOut;
    slow.reject(new Error('after the deadline')); // vitest fails the run if this goes unhandled
    await vi.advanceTimersByTimeAsync(0);
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('rejects at once when the signal aborts, and stops its timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const race = raceInterruptions(
      deferred<string>().promise,
      controller.signal,
      1000,
      interrupted,
    );
    controller.abort();
    await expect(race).rejects.toThrow('interrupted: ABORTED');
    expect(vi.getTimerCount()).toBe(0);
  });
});
