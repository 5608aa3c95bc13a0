import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionLanes, type LaneLimits } from '../src/lanes/connection-lanes.js';
import { LaneOpenError, type LaneSource } from '../src/lanes/lane-source.js';
import { isDriverConnectionError, mayHaveBeenApplied } from '../src/postgres-errors.js';

/** A task that settles when the test says so, and records that it started and where. */
function controllable(started: string[], name: string) {
  let finish!: () => void;
  let ranOn: FakeConnection | undefined;
  const task = (connection: FakeConnection) => {
    started.push(name);
    ranOn = connection;
    return new Promise<string>((resolve) => {
      finish = () => resolve(name);
    });
  };
  return { task, finish: () => finish(), ranOn: () => ranOn };
}

interface FakeConnection {
  id: number;
  alive: boolean;
  retiring?: boolean;
}

/** Connections that open at once (or fail, while `failWith` is set) and record their fate. */
interface FakeSource extends LaneSource<FakeConnection> {
  failWith: Error | undefined;
  opened: FakeConnection[];
  released: number[];
}

function fakeSource(): FakeSource {
  const opened: FakeConnection[] = [];
  const released: number[] = [];
  const source: FakeSource = {
    failWith: undefined,
    opened,
    released,
    open: () => {
      if (source.failWith !== undefined) return Promise.reject(source.failWith);
      const connection = { id: opened.length + 1, alive: true };
      opened.push(connection);
      return Promise.resolve(connection);
    },
    isAlive: (connection: FakeConnection) => connection.alive,
    acceptsMore: () => true,
    isRetiring: (connection: FakeConnection) => connection.retiring === true,
    noteFailure: (connection: FakeConnection, error: unknown) => {
      if (error instanceof Error && error.message === 'connection lost') connection.alive = false;
    },
    release: (connection: FakeConnection) => {
      released.push(connection.id);
      connection.alive = false;
    },
  };
  return source;
}

function lanesOn(source: LaneSource<FakeConnection>, limits: Partial<LaneLimits> = {}) {
  const defaults = { maxLanes: 1, perLane: 1, lingerMs: 1000, openTimeoutMs: 5000 };
  return new ConnectionLanes(source, { ...defaults, ...limits });
}

/** Let the fake source's opens resolve and the lanes serve their waiters. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('ConnectionLanes', () => {
  it('runs at most perLane tasks per lane and starts the waiting ones in FIFO order', async () => {
    const lanes = lanesOn(fakeSource(), { perLane: 2 });
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => controllable(started, name));
    const results = tasks.map(({ task }) => lanes.run(task).promise);
    await settle();
    expect(started).toEqual(['a', 'b']);
    expect([lanes.running, lanes.waiting]).toEqual([2, 2]);
    tasks[1]?.finish();
    await results[1];
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[0]?.finish();
    await results[0];
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    tasks[2]?.finish();
    tasks[3]?.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([lanes.running, lanes.waiting]).toEqual([0, 0]);
  });

  it('one call at a time keeps using one lane: no connection is taken per call', async () => {
    const source = fakeSource();
    const lanes = lanesOn(source, { maxLanes: 9, perLane: 2 });
    for (let i = 0; i < 200; i++) {
      await lanes.run(() => Promise.resolve(i)).promise;
    }
    expect(source.opened).toHaveLength(1);
    expect(source.released).toEqual([]);
  });

  it('opens lanes while calls overlap, up to maxLanes, then pipelines on them', async () => {
    const source = fakeSource();
    const lanes = lanesOn(source, { maxLanes: 3, perLane: 2 });
    const started: string[] = [];
    const tasks = Array.from({ length: 7 }, (_, i) => controllable(started, `t${i}`));
    const results = tasks.map(({ task }) => lanes.run(task).promise);
    await settle();
    expect(source.opened).toHaveLength(3);
    expect(started).toHaveLength(6); // three lanes, two each
    const perConnection = new Map<number, number>();
    for (const { ranOn } of tasks.slice(0, 6)) {
      const id = ranOn()?.id ?? 0;
      perConnection.set(id, (perConnection.get(id) ?? 0) + 1);
    }
    expect([...perConnection.values()]).toEqual([2, 2, 2]);
    for (const { finish } of tasks) {
      finish();
      await settle();
    }
    expect(await Promise.all(results)).toHaveLength(7);
  });

  it('a retiring lane takes no new work, finishes what it runs, and is handed back then; a new lane takes over', async () => {
    const source = fakeSource();
    const lanes = lanesOn(source, { perLane: 2 });
    const started: string[] = [];
    const running = controllable(started, 'running');
    const first = lanes.run(running.task).promise;
    await settle();
    const old = source.opened[0] as FakeConnection;
    old.retiring = true;
    const next = controllable(started, 'next');
    const second = lanes.run(next.task).promise;
    await settle();
    // It had room for a second task, but retiring lanes get nothing new.
    expect(started).toEqual(['running']);
    expect(source.released).toEqual([]);
    running.finish();
    await first;
    await settle();
    expect(source.released).toEqual([old.id]);
    expect(next.ranOn()?.id).toBe(2);
    next.finish();
    expect(await second).toBe('next');
  });

  it('an idle lane that starts retiring is handed back at the next call or sweep', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const lanes = lanesOn(source, { maxLanes: 2, lingerMs: 1000 });
    await lanes.run(() => Promise.resolve(1)).promise;
    const [first] = source.opened as [FakeConnection];
    first.retiring = true;
    const next = lanes.run(() => Promise.resolve(2)).promise;
    await vi.advanceTimersByTimeAsync(0);
    expect(await next).toBe(2);
    expect(source.released).toEqual([first.id]);
    const second = source.opened[1] as FakeConnection;
    second.retiring = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(source.released).toEqual([first.id, second.id]);
    expect(lanes.lanes).toBe(0);
  });

  it('a lost lane takes no more work and is not handed back; a new one replaces it', async () => {
    const source = fakeSource();
    const lanes = lanesOn(source);
    await lanes.run(() => Promise.resolve('first')).promise;
    const first = source.opened[0] as FakeConnection;
    first.alive = false; // the server closed it while idle
    const started: string[] = [];
    const next = controllable(started, 'next');
    const running = lanes.run(next.task).promise;
    await settle();
    expect(next.ranOn()?.id).toBe(2);
    next.finish();
    await running;
    expect(source.released).toEqual([]);
    expect(lanes.lanes).toBe(1);
  });

  it('when no lane can be opened, the waiting calls fail at once with a LaneOpenError carrying the reason', async () => {
    const source = fakeSource();
    source.failWith = new Error('connection refused');
    const lanes = lanesOn(source, { maxLanes: 2 });
    const calls = [lanes.run(() => Promise.resolve(1)), lanes.run(() => Promise.resolve(2))];
    for (const { promise } of calls) {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LaneOpenError);
      expect((error as Error).cause).toBe(source.failWith);
    }
    expect(lanes.waiting).toBe(0);
    source.failWith = undefined; // the server is back: the same lanes recover
    expect(await lanes.run(() => Promise.resolve('back')).promise).toBe('back');
  });

  it('an opening that never finishes fails in time, and one that finishes late is handed back', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const open = source.open;
    let finishLate!: () => void;
    source.open = () =>
      new Promise((resolve) => {
        finishLate = () => resolve({ id: 99, alive: true });
      });
    const lanes = lanesOn(source, { openTimeoutMs: 1000 });
    const stuck = lanes.run(() => Promise.resolve('never'));
    const outcome = expect(stuck.promise).rejects.toThrow(
      new LaneOpenError('no connection could be opened within 1000 ms'),
    );
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
    source.open = open; // the next opening works: the lanes did not stop growing
    const next = lanes.run(() => Promise.resolve('next')).promise;
    await vi.advanceTimersByTimeAsync(0);
    expect(await next).toBe('next');
    finishLate();
    await vi.advanceTimersByTimeAsync(0);
    expect(source.released).toEqual([99]);
  });

  it('hands back a lane unused for a linger period, and keeps a busy one', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const lanes = lanesOn(source, { maxLanes: 2, lingerMs: 1000 });
    const started: string[] = [];
    const long = controllable(started, 'long');
    const longRun = lanes.run(long.task).promise;
    const short = lanes.run(() => Promise.resolve('short')).promise;
    await vi.advanceTimersByTimeAsync(0);
    expect(await short).toBe('short');
    expect(source.opened).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2100);
    expect(source.released).toEqual([2]); // the idle one; the long task's lane stays
    long.finish();
    await longRun;
    await vi.advanceTimersByTimeAsync(2100);
    expect(source.released).toEqual([2, 1]);
    expect(lanes.lanes).toBe(0);
  });

  it('a withdrawn task never starts, rejects with the reason, and frees its place in line', async () => {
    const lanes = lanesOn(fakeSource());
    const started: string[] = [];
    const first = controllable(started, 'first');
    const running = lanes.run(first.task);
    const withdrawn = lanes.run(controllable(started, 'withdrawn').task);
    const last = controllable(started, 'last');
    const waiting = lanes.run(last.task);
    await settle();
    const reason = new Error('gave up');
    expect(running.withdraw(reason)).toBe(false); // already running
    expect(withdrawn.withdraw(reason)).toBe(true);
    expect(withdrawn.withdraw(reason)).toBe(false);
    await expect(withdrawn.promise).rejects.toBe(reason);
    expect(lanes.waiting).toBe(1);
    first.finish();
    await running.promise;
    expect(started).toEqual(['first', 'last']);
    last.finish();
    await waiting.promise;
  });

  it('a task that throws or rejects frees its slot', async () => {
    const lanes = lanesOn(fakeSource());
    const thrown = lanes.run(() => {
      throw new Error('sync');
    });
    await expect(thrown.promise).rejects.toThrow('sync');
    await expect(lanes.run(() => Promise.reject(new Error('async'))).promise).rejects.toThrow(
      'async',
    );
    expect(await lanes.run(() => Promise.resolve('next')).promise).toBe('next');
  });

  it('keeps admitting correctly after many withdrawals (the queue compacts)', async () => {
    const lanes = lanesOn(fakeSource());
    const started: string[] = [];
    const blocker = controllable(started, 'blocker');
    const running = lanes.run(blocker.task);
    const gone = Array.from({ length: 5000 }, (_, i) =>
      lanes.run(controllable(started, `w${i}`).task),
    );
    const survivor = controllable(started, 'survivor');
    const kept = lanes.run(survivor.task);
    await settle();
    for (const admission of gone) {
      admission.withdraw(new Error('gave up'));
      admission.promise.catch(() => undefined);
    }
    expect(lanes.waiting).toBe(1);
    blocker.finish();
    await running.promise;
    expect(started).toEqual(['blocker', 'survivor']);
    survivor.finish();
    expect(await kept.promise).toBe('survivor');
  });

  it('close rejects waiting and later tasks; whenIdle waits for the running ones', async () => {
    const source = fakeSource();
    const lanes = lanesOn(source);
    const started: string[] = [];
    const first = controllable(started, 'first');
    const running = lanes.run(first.task);
    const waiting = lanes.run(controllable(started, 'waiting').task);
    await settle();
    const reason = new Error('closed');
    lanes.close(reason);
    await expect(waiting.promise).rejects.toBe(reason);
    await expect(lanes.run(() => Promise.resolve('late')).promise).rejects.toBe(reason);
    let idle = false;
    const whenIdle = lanes.whenIdle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    first.finish();
    await running.promise;
    await whenIdle;
    expect(started).toEqual(['first']);
    await lanes.whenIdle(); // already idle: resolves at once
  });

  it('close hands idle lanes back at once and busy ones once their tasks settle', async () => {
    const source = fakeSource();
    const lanes = lanesOn(source, { maxLanes: 3 });
    const started: string[] = [];
    const busy = controllable(started, 'busy');
    const running = lanes.run(busy.task).promise;
    const done = Array.from({ length: 2 }, () => lanes.run(() => Promise.resolve('done')).promise);
    await settle();
    expect(await Promise.all(done)).toEqual(['done', 'done']);
    expect(source.opened).toHaveLength(3);
    const busyId = busy.ranOn()?.id;
    lanes.close(new Error('closed'));
    expect(source.released).toHaveLength(2);
    expect(source.released).not.toContain(busyId); // its statement may still be held for it
    busy.finish();
    await running;
    expect(source.released).toContain(busyId);
    expect(lanes.lanes).toBe(0);
  });

  it('a lane-open failure is a connection failure and nothing was sent, whatever the reservation probe failed with', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      syscall: 'read',
    });
    const adminShutdown = Object.assign(new Error('terminating connection'), {
      code: '57P01',
      severity: 'FATAL',
    });
    for (const cause of [reset, adminShutdown]) {
      // Alone, each says the statement may have run.
      expect(mayHaveBeenApplied(cause)).toBe(true);
      const failure = new LaneOpenError('no connection could be opened', { cause });
      expect(isDriverConnectionError(failure)).toBe(true);
      expect(mayHaveBeenApplied(failure)).toBe(false);
    }
  });
});
