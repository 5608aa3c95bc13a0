import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Counter, KVBackend, OperationOptions, WriteOptions } from '../src/backend.js';
import { isKVError, KVError } from '../src/errors.js';
import { update } from '../src/update.js';

/** A call the backend received, with the options it was given. */
interface Call {
  readonly op: 'get' | 'checkAndSet';
  readonly key: string;
  readonly expected?: string | null;
  readonly next?: string;
  readonly options: WriteOptions | undefined;
}

/**
 * A Map-backed KVBackend (TTL-free) that records every get and checkAndSet, can hold its
 * answers until the test releases them, and can fail or be raced by an adversary.
 */
class RecordingBackend implements KVBackend {
  readonly name: string;
  readonly store = new Map<string, string>();
  readonly calls: Call[] = [];
  /** Hold every answer until {@link release}. */
  held = false;
  /** Runs right after a get read the store: lets a test write in between a read and its commit. */
  afterGet: ((key: string) => void) | undefined;
  /** Rejections to give instead of answering. */
  getError: unknown;
  casError: unknown;
  /** Requests in flight per key, and the most seen at once. */
  readonly #inFlight = new Map<string, number>();
  maxInFlightPerKey = 0;
  readonly #holds: (() => void)[] = [];

  constructor(name = 'recording') {
    this.name = name;
  }

  get(key: string, options?: OperationOptions): Promise<string | null> {
    this.calls.push({ op: 'get', key, options });
    return this.#serve(key, this.getError, () => {
      const value = this.store.get(key) ?? null;
      this.afterGet?.(key);
      return value;
    });
  }

  checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: WriteOptions,
  ): Promise<boolean> {
    this.calls.push({ op: 'checkAndSet', key, expected, next, options });
    return this.#serve(key, this.casError, () => {
      if ((this.store.get(key) ?? null) !== expected) return false;
      this.store.set(key, next);
      return true;
    });
  }

  /** Let pending requests go out, answer every held one in order, and let the answers land. */
  async release(): Promise<void> {
    await settle();
    for (const answer of this.#holds.splice(0)) answer();
    await settle();
  }

  count(op: Call['op']): number {
    return this.calls.filter((call) => call.op === op).length;
  }

  commits(): Call[] {
    return this.calls.filter((call) => call.op === 'checkAndSet');
  }

  async #serve<T>(key: string, error: unknown, apply: () => T): Promise<T> {
    const inFlight = (this.#inFlight.get(key) ?? 0) + 1;
    this.#inFlight.set(key, inFlight);
    this.maxInFlightPerKey = Math.max(this.maxInFlightPerKey, inFlight);
    try {
      if (this.held) await new Promise<void>((resolve) => this.#holds.push(resolve));
      else await Promise.resolve();
      if (error !== undefined) throw error;
      return apply();
    } finally {
      this.#inFlight.set(key, (this.#inFlight.get(key) as number) - 1);
    }
  }

  set(): Promise<void> {
    return unused();
  }
  checkAndDelete(): Promise<boolean> {
    return unused();
  }
  delete(): Promise<boolean> {
    return unused();
  }
  increment(): Promise<Counter> {
    return unused();
  }
  ping(): Promise<void> {
    return unused();
  }
  async close(): Promise<void> {}
  async [Symbol.asyncDispose](): Promise<void> {}
}

function unused(): Promise<never> {
  return Promise.reject(new Error('update must use only get and checkAndSet'));
}

/** Let every queued microtask and a few event-loop turns run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await nextTurn();
}

/** A step that appends `char` and resolves with the value it wrote. */
const append = (char: string) => (current: string | null) => {
  const next = (current ?? '') + char;
  return { result: next, next };
};

/** A step that adds 1 to a decimal counter and resolves with the new count. */
const addOne = (current: string | null) => {
  const value = Number(current ?? '0') + 1;
  return { result: value, next: String(value) };
};

const read = (current: string | null) => ({ result: current });

/** The outcome of `promise` without awaiting it, so a test can look before it settles. */
function track<T>(promise: Promise<T>): { settled: boolean; outcome: Promise<T | unknown> } {
  const tracked = { settled: false, outcome: promise as Promise<T | unknown> };
  tracked.outcome = promise.then(
    (value) => {
      tracked.settled = true;
      return value;
    },
    (error: unknown) => {
      tracked.settled = true;
      return error;
    },
  );
  return tracked;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('update combines concurrent calls on one key', () => {
  it('runs N concurrent calls with one get and one checkAndSet, steps in call order', async () => {
    const kv = new RecordingBackend();
    const results = await Promise.all(Array.from({ length: 20 }, () => update(kv, 'k', addOne)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(kv.store.get('k')).toBe('20');
    expect(kv.count('get')).toBe(1);
    expect(kv.count('checkAndSet')).toBe(1);
  });

  it('runs each step on the previous writing step’s next; a read-only step writes nothing', async () => {
    const kv = new RecordingBackend();
    kv.store.set('k', 'x');
    const results = await Promise.all([
      update(kv, 'k', append('a')),
      update(kv, 'k', read),
      update(kv, 'k', append('b')),
      update(kv, 'k', read),
    ]);
    expect(results).toEqual(['xa', 'xa', 'xab', 'xab']);
    expect(kv.commits()).toMatchObject([{ expected: 'x', next: 'xab' }]);
  });

  it('closes a batch before its first request: a later call waits for the next batch', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const first = update(kv, 'k', append('a'));
    await settle();
    expect(kv.calls).toHaveLength(1); // the first batch's get is out
    const second = update(kv, 'k', append('b'));
    await kv.release(); // answers the get; the first batch commits alone
    expect(kv.commits()).toMatchObject([{ expected: null, next: 'a' }]);
    await kv.release();
    expect(await first).toBe('a');
    // The second batch commits from the remembered value, without a read.
    await kv.release();
    expect(await second).toBe('ab');
    expect(kv.count('get')).toBe(1);
    expect(kv.commits()).toMatchObject([{ next: 'a' }, { expected: 'a', next: 'ab' }]);
  });

  it('has at most one batch of a key in flight per backend object, keys and backends apart', async () => {
    const kv = new RecordingBackend();
    const other = new RecordingBackend();
    const calls = Array.from({ length: 60 }, (_, i) =>
      update(i % 3 === 2 ? other : kv, i % 2 === 0 ? 'k' : 'j', addOne),
    );
    // Interleave new calls with batches in flight.
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
      calls.push(update(kv, 'k', addOne));
    }
    await Promise.all(calls);
    expect(Number(kv.store.get('k')) + Number(other.store.get('k'))).toBe(35);
    expect(Number(kv.store.get('j')) + Number(other.store.get('j'))).toBe(30);
    expect(kv.maxInFlightPerKey).toBe(1);
    expect(other.maxInFlightPerKey).toBe(1);
  });

  it('counts a read-only batch’s answer from a get issued after every member was called', async () => {
    const kv = new RecordingBackend();
    expect(await update(kv, 'k', append('a'))).toBe('a');
    kv.store.set('k', 'changed elsewhere');
    // A new batch right after: any remembered 'a' must not answer a read-only step.
    expect(await update(kv, 'k', read)).toBe('changed elsewhere');
    expect(kv.count('get')).toBe(2);
  });

  it('re-reads a read-only batch that followed a commit, instead of answering from memory', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const writer = update(kv, 'k', append('a'));
    await settle();
    const reader = update(kv, 'k', read); // waits for the next batch
    await kv.release(); // get
    await kv.release(); // commit 'a'; the reader's batch starts from memory
    kv.store.set('k', 'b'); // a write the memory does not know
    await kv.release();
    await kv.release();
    expect(await writer).toBe('a');
    expect(await reader).toBe('b');
    expect(kv.count('get')).toBe(2);
  });

  it('forgets a key once no call is pending: the next call reads afresh', async () => {
    const kv = new RecordingBackend();
    await update(kv, 'k', append('a'));
    await settle();
    kv.store.set('k', 'z');
    expect(await update(kv, 'k', append('b'))).toBe('zb');
    expect(kv.count('get')).toBe(2);
    expect(kv.count('checkAndSet')).toBe(2); // no commit on a stale memory
  });
});

describe('update commits with the write options the steps imply', () => {
  type Step = (current: string | null) => {
    result: null;
    next?: string;
    ttl?: number;
    keepTtl?: boolean;
  };
  const ttl =
    (ms: number): Step =>
    () => ({ result: null, next: `t${ms}`, ttl: ms });
  const keep: Step = () => ({ result: null, next: 'kept', keepTtl: true });
  const none: Step = () => ({ result: null, next: 'plain' });
  const noWrite: Step = () => ({ result: null });

  const cases: [string, Step[], Partial<WriteOptions>][] = [
    ['one ttl', [ttl(100)], { ttl: 100 }],
    ['a keepTtl after a ttl keeps that ttl', [ttl(100), keep], { ttl: 100 }],
    ['a read-only step changes nothing', [ttl(100), noWrite, keep], { ttl: 100 }],
    ['the last step without keepTtl decides', [ttl(100), ttl(200), keep, keep], { ttl: 200 }],
    ['no ttl after a ttl means no expiry', [ttl(100), none], {}],
    ['all keepTtl keeps the stored expiry', [keep, keep], { keepTtl: true }],
    ['ttl 0 means no expiry', [ttl(100), ttl(0)], {}],
  ];
  for (const [name, steps, expected] of cases) {
    it(name, async () => {
      const kv = new RecordingBackend();
      await Promise.all(steps.map((step) => update(kv, 'k', step)));
      const [commit] = kv.commits();
      const { signal: _signal, ...options } = commit?.options ?? {};
      expect(options).toEqual(expected);
    });
  }
});

describe('update delivers results and errors only after the commit', () => {
  it('holds results and step errors until the batch committed', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const thrown = new Error('step failed');
    const calls = [
      track(update(kv, 'k', append('a'))),
      track(
        update(kv, 'k', () => {
          throw thrown;
        }),
      ),
      track(update(kv, 'k', read)),
    ];
    await kv.release(); // the get
    expect(kv.commits()).toHaveLength(1);
    expect(calls.map((call) => call.settled)).toEqual([false, false, false]);
    await kv.release(); // the commit
    expect(calls.map((call) => call.settled)).toEqual([true, true, true]);
    expect(await calls[0]?.outcome).toBe('a');
    expect(await calls[1]?.outcome).toBe(thrown);
    expect(await calls[2]?.outcome).toBe('a');
  });

  it('rejects a throwing step with the thrown value unchanged; later steps see the value before it', async () => {
    const kv = new RecordingBackend();
    const thrown = { not: 'an Error' };
    const [a, failing, b] = await Promise.allSettled([
      update(kv, 'k', append('a')),
      update(kv, 'k', (current) => {
        if (current === 'a') throw thrown;
        return { result: 'unexpected', next: 'unexpected' };
      }),
      update(kv, 'k', append('b')),
    ]);
    expect(a).toEqual({ status: 'fulfilled', value: 'a' });
    expect(failing).toEqual({ status: 'rejected', reason: thrown });
    expect(b).toEqual({ status: 'fulfilled', value: 'ab' });
    expect(kv.store.get('k')).toBe('ab');
  });

  it('rejects a step whose returned object throws from a getter with that error, alone', async () => {
    const kv = new RecordingBackend();
    const thrown = new Error('getter');
    const [a, bad] = await Promise.allSettled([
      update(kv, 'k', append('a')),
      update(kv, 'k', () => ({
        result: 1,
        get next(): string {
          throw thrown;
        },
      })),
    ]);
    expect(a).toEqual({ status: 'fulfilled', value: 'a' });
    expect(bad).toEqual({ status: 'rejected', reason: thrown });
  });

  const invalid: [string, () => unknown, string][] = [
    ['a next that is not a string', () => ({ result: 1, next: 42 }), 'INVALID_VALUE'],
    ['a next with a lone surrogate', () => ({ result: 1, next: '\ud800' }), 'INVALID_VALUE'],
    ['a negative ttl', () => ({ result: 1, next: 'n', ttl: -1 }), 'INVALID_TTL'],
    ['a fractional ttl', () => ({ result: 1, next: 'n', ttl: 1.5 }), 'INVALID_TTL'],
    ['ttl with keepTtl', () => ({ result: 1, next: 'n', ttl: 5, keepTtl: true }), 'INVALID_TTL'],
    [
      'a keepTtl that is not a boolean',
      () => ({ result: 1, next: 'n', keepTtl: 'yes' }),
      'INVALID_TTL',
    ],
    // biome-ignore lint/suspicious/noThenProperty: the test needs a thenable that is not a promise
    ['a thenable', () => ({ then: () => undefined, result: 1 }), 'INVALID_VALUE'],
    ['a promise', () => Promise.reject(new Error('async step')), 'INVALID_VALUE'],
    ['not an object', () => 'next', 'INVALID_VALUE'],
    ['null', () => null, 'INVALID_VALUE'],
  ];
  for (const [name, returned, code] of invalid) {
    it(`rejects a step returning ${name} with ${code} (op update) and commits the others`, async () => {
      const kv = new RecordingBackend('named');
      const [a, bad, b] = await Promise.allSettled([
        update(kv, 'k', append('a')),
        update(kv, 'k', () => returned() as never),
        update(kv, 'k', append('b')),
      ]);
      expect(a).toEqual({ status: 'fulfilled', value: 'a' });
      expect(b).toEqual({ status: 'fulfilled', value: 'ab' });
      const error = (bad as PromiseRejectedResult).reason as KVError;
      expect(isKVError(error, code as KVError['code'])).toBe(true);
      expect(error).toMatchObject({
        op: 'update',
        backend: 'named',
        unhealthy: false,
        indeterminate: false,
      });
      expect(kv.commits()).toMatchObject([{ expected: null, next: 'ab' }]);
    });
  }
});

describe('update gives up with CONFLICT', () => {
  /** A backend where another writer changes the key between every read and its commit. */
  function contested(): RecordingBackend {
    const kv = new RecordingBackend();
    let writes = 0;
    kv.afterGet = (key) => kv.store.set(key, `other-${writes++}`);
    return kv;
  }

  it('after maxAttempts conflicting commits, alone, neither unhealthy nor indeterminate', async () => {
    const kv = contested();
    const error = await rejection(update(kv, 'k', append('a'), { maxAttempts: 3 }));
    expect(isKVError(error, 'CONFLICT')).toBe(true);
    expect(error).toMatchObject({
      op: 'update',
      backend: 'recording',
      unhealthy: false,
      indeterminate: false,
    });
    expect(kv.count('checkAndSet')).toBe(3);
    expect(kv.store.get('k')).toMatch(/^other-/);
  });

  it('reads no more once every call of the batch gave up', async () => {
    const kv = contested();
    await rejection(update(kv, 'k', append('a'), { maxAttempts: 2 }));
    expect(kv.count('get')).toBe(2);
  });

  it('after 64 commits by default', async () => {
    const kv = contested();
    expect(isKVError(await rejection(update(kv, 'k', append('a'))), 'CONFLICT')).toBe(true);
    expect(kv.count('checkAndSet')).toBe(64);
  });

  it('counts per call: a call with attempts left goes on after another gave up', async () => {
    const kv = contested();
    let rounds = 0;
    kv.afterGet = (key) => {
      if (rounds++ < 2) kv.store.set(key, `other-${rounds}`);
    };
    const [quitter, stayer] = await Promise.allSettled([
      update(kv, 'k', append('a'), { maxAttempts: 2 }),
      update(kv, 'k', append('b'), { maxAttempts: 3 }),
    ]);
    expect(isKVError((quitter as PromiseRejectedResult).reason, 'CONFLICT')).toBe(true);
    expect(stayer).toEqual({ status: 'fulfilled', value: 'other-2b' });
  });

  it('does not count a failed commit on a remembered value', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const first = update(kv, 'k', append('a'));
    await settle();
    const second = update(kv, 'k', append('b'), { maxAttempts: 1 });
    await kv.release(); // get
    await kv.release(); // commit 'a'; the second batch commits from memory
    kv.store.set('k', 'z');
    await kv.release(); // that commit fails: the memory was stale
    await kv.release(); // re-read
    await kv.release(); // commit
    expect(await first).toBe('a');
    expect(await second).toBe('zb');
    expect(kv.commits()).toMatchObject([
      { expected: null, next: 'a' },
      { expected: 'a', next: 'ab' },
      { expected: 'z', next: 'zb' },
    ]);
  });
});

describe('update rejects bad input before any I/O', () => {
  const cases: [string, () => Promise<unknown>, string][] = [
    ['an empty key', () => update(new RecordingBackend(), '', read), 'INVALID_KEY'],
    ['a key with U+0000', () => update(new RecordingBackend(), 'a\0', read), 'INVALID_KEY'],
    [
      'a step that is not a function',
      () => update(new RecordingBackend(), 'k', 'step' as never),
      'INVALID_VALUE',
    ],
    [
      'options that are not an object',
      () => update(new RecordingBackend(), 'k', read, 5 as never),
      'INVALID_CONFIG',
    ],
    [
      'a zero timeout',
      () => update(new RecordingBackend(), 'k', read, { timeout: 0 }),
      'INVALID_CONFIG',
    ],
    [
      'maxAttempts 0',
      () => update(new RecordingBackend(), 'k', read, { maxAttempts: 0 }),
      'INVALID_CONFIG',
    ],
    [
      'maxAttempts -1',
      () => update(new RecordingBackend(), 'k', read, { maxAttempts: -1 }),
      'INVALID_CONFIG',
    ],
    [
      'maxAttempts 1.5',
      () => update(new RecordingBackend(), 'k', read, { maxAttempts: 1.5 }),
      'INVALID_CONFIG',
    ],
    [
      'maxAttempts NaN',
      () => update(new RecordingBackend(), 'k', read, { maxAttempts: Number.NaN }),
      'INVALID_CONFIG',
    ],
    [
      'maxAttempts "3"',
      () => update(new RecordingBackend(), 'k', read, { maxAttempts: '3' as never }),
      'INVALID_CONFIG',
    ],
    [
      'maxAttempts 2^53',
      () => update(new RecordingBackend(), 'k', read, { maxAttempts: 2 ** 53 }),
      'INVALID_CONFIG',
    ],
    [
      'an already-aborted signal',
      () => update(new RecordingBackend(), 'k', read, { signal: AbortSignal.abort() }),
      'ABORTED',
    ],
    ['no backend', () => update(null as never, 'k', read), 'INVALID_CONFIG'],
  ];
  for (const [name, call, code] of cases) {
    it(`rejects ${name} with ${code}`, async () => {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      const error = await rejection(promise as Promise<unknown>);
      expect(isKVError(error, code as KVError['code'])).toBe(true);
      expect(error).toMatchObject({ op: 'update', indeterminate: false });
    });
  }

  it('validates the key first and calls the backend not at all', async () => {
    const kv = new RecordingBackend();
    const error = await rejection(update(kv, '', 'step' as never, { maxAttempts: 0 }));
    expect(isKVError(error, 'INVALID_KEY')).toBe(true);
    await settle();
    expect(kv.calls).toEqual([]);
  });
});

describe('update under signals and deadlines', () => {
  it('leaves before its commit is sent: ABORTED, not indeterminate; the others go on', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const controller = new AbortController();
    const leaving = update(kv, 'k', append('a'), { signal: controller.signal });
    const staying = update(kv, 'k', append('b'));
    await settle();
    controller.abort();
    const error = await rejection(leaving);
    expect(error).toMatchObject({ code: 'ABORTED', op: 'update', indeterminate: false });
    await kv.release(); // get
    await kv.release(); // commit
    expect(await staying).toBe('b');
    expect(kv.store.get('k')).toBe('b');
  });

  it('leaves while its commit is in flight: indeterminate', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const controller = new AbortController();
    const leaving = update(kv, 'k', append('a'), { signal: controller.signal });
    const staying = update(kv, 'k', append('b'));
    await kv.release(); // get; the commit is now in flight
    controller.abort();
    expect(await rejection(leaving)).toMatchObject({ code: 'ABORTED', indeterminate: true });
    await kv.release();
    expect(await staying).toBe('ab');
  });

  it('leaves while a commit is in flight without a write of its own: not indeterminate', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const controller = new AbortController();
    const writer = update(kv, 'k', append('a'));
    const reader = update(kv, 'k', read, { signal: controller.signal });
    await kv.release(); // get; the commit of 'a' is now in flight
    controller.abort();
    expect(await rejection(reader)).toMatchObject({ code: 'ABORTED', indeterminate: false });
    await kv.release();
    expect(await writer).toBe('a');
  });

  it('times out the whole call, waiting included: TIMEOUT, not indeterminate before the commit', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const error = await rejection(update(kv, 'k', append('a'), { timeout: 5 }));
    expect(error).toMatchObject({ code: 'TIMEOUT', op: 'update', indeterminate: false });
    expect(kv.commits()).toEqual([]);
    await kv.release();
  });

  it('cancels the batch’s request once every member has left', async () => {
    const kv = new RecordingBackend();
    kv.held = true;
    const controller = new AbortController();
    const calls = [1, 2].map(() =>
      rejection(update(kv, 'k', append('a'), { signal: controller.signal })),
    );
    await settle();
    const signal = kv.calls[0]?.options?.signal;
    expect(signal?.aborted).toBe(false);
    controller.abort();
    await Promise.all(calls);
    expect(signal?.aborted).toBe(true);
    await kv.release();
  });
});

describe('update passes errors of get and checkAndSet on unchanged', () => {
  it('from get, to every member, and the next batch still runs', async () => {
    const kv = new RecordingBackend();
    const failure = new KVError({ code: 'GET_FAILED', backend: 'recording', unhealthy: true });
    kv.getError = failure;
    const calls = [update(kv, 'k', append('a')), update(kv, 'k', append('b'))];
    const errors = await Promise.all(calls.map(rejection));
    expect(errors).toEqual([failure, failure]);
    expect(errors[0]).toBe(failure);
    kv.getError = undefined;
    expect(await update(kv, 'k', append('c'))).toBe('c');
  });

  it('from checkAndSet, indeterminate flag included', async () => {
    const kv = new RecordingBackend();
    const failure = new KVError({
      code: 'CHECK_AND_SET_FAILED',
      backend: 'recording',
      indeterminate: true,
    });
    kv.casError = failure;
    expect(await rejection(update(kv, 'k', append('a')))).toBe(failure);
  });
});
