import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../src/in-flight-limit.js';

/** A task that settles when the test says so, and records that it started. */
function controllable(started: string[], name: string) {
  let finish!: () => void;
  const task = () => {
    started.push(name);
    return new Promise<string>((resolve) => {
      finish = () => resolve(name);
    });
  };
  return { task, finish: () => finish() };
}

describe('InFlightLimit', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in FIFO order', async () => {
    const limit = new InFlightLimit(2);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => controllable(started, name));
    const results = tasks.map(({ task }) => limit.run(task).promise);
    expect(started).toEqual(['a', 'b']);
    expect([limit.running, limit.waiting]).toEqual([2, 2]);
    tasks[1]?.finish();
    await results[1];
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[0]?.finish();
    await results[0];
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    tasks[2]?.finish();
    tasks[3]?.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([limit.running, limit.waiting]).toEqual([0, 0]);
  });

  it('a withdrawn task never starts, rejects with the reason, and frees its place in line', async () => {
    const limit = new InFlightLimit(1);
    const started: string[] = [];
    const first = controllable(started, 'first');
    const running = limit.run(first.task);
    const withdrawn = limit.run(controllable(started, 'withdrawn').task);
    const last = controllable(started, 'last');
    const waiting = limit.run(last.task);
    const reason = new Error('gave up');
    expect(running.withdraw(reason)).toBe(false); // already running
    expect(withdrawn.withdraw(reason)).toBe(true);
    expect(withdrawn.withdraw(reason)).toBe(false);
    await expect(withdrawn.promise).rejects.toBe(reason);
    expect(limit.waiting).toBe(1);
    first.finish();
    await running.promise;
    expect(started).toEqual(['first', 'last']);
    last.finish();
    await waiting.promise;
  });

  it('a task that throws or rejects frees its slot', async () => {
    const limit = new InFlightLimit(1);
    const thrown = limit.run(() => {
      throw new Error('sync');
    });
    await expect(thrown.promise).rejects.toThrow('sync');
    await expect(limit.run(() => Promise.reject(new Error('async'))).promise).rejects.toThrow(
      'async',
    );
    expect(await limit.run(() => Promise.resolve('next')).promise).toBe('next');
  });

  it('keeps admitting correctly after many withdrawals (the queue compacts)', async () => {
    const limit = new InFlightLimit(1);
    const started: string[] = [];
    const blocker = controllable(started, 'blocker');
    const running = limit.run(blocker.task);
    const gone = Array.from({ length: 5000 }, (_, i) =>
      limit.run(controllable(started, `w${i}`).task),
    );
    const survivor = controllable(started, 'survivor');
    const kept = limit.run(survivor.task);
    for (const admission of gone) {
      admission.withdraw(new Error('gave up'));
      admission.promise.catch(() => undefined);
    }
    expect(limit.waiting).toBe(1);
    blocker.finish();
    await running.promise;
    expect(started).toEqual(['blocker', 'survivor']);
    survivor.finish();
    expect(await kept.promise).toBe('survivor');
  });

  it('close rejects waiting and later tasks; whenIdle waits for the running ones', async () => {
    const limit = new InFlightLimit(1);
    const started: string[] = [];
    const first = controllable(started, 'first');
    const running = limit.run(first.task);
    const waiting = limit.run(controllable(started, 'waiting').task);
    const reason = new Error('closed');
    limit.close(reason);
    await expect(waiting.promise).rejects.toBe(reason);
    await expect(limit.run(() => Promise.resolve('late')).promise).rejects.toBe(reason);
    let idle = false;
    const whenIdle = limit.whenIdle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    first.finish();
    await running.promise;
    await whenIdle;
    expect(started).toEqual(['first']);
    await limit.whenIdle(); // already idle: resolves at once
  });
});
