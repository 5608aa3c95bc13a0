import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Counter, IncrementOptions, OperationOptions } from '../src/backend.js';
import { KVBackendBase } from '../src/backend-base.js';
import type { CallContext } from '../src/call-context.js';
import { isKVError, type KVError } from '../src/errors.js';

/** One increment request that reached `doIncrement`, answered when the test says so. */
interface SentRequest {
  readonly key: string;
  readonly delta: number;
  readonly ttl: number;
  readonly options: CallContext;
  /** The counter before and after, once answered. */
  before?: number;
  after?: number;
  answered: boolean;
}

/**
 * A backend whose increments wait for the test: `answer()` applies the oldest unanswered
 * request atomically to an in-memory counter, `fail()` rejects it. Every request is recorded.
 */
class ControlledBackend extends KVBackendBase {
  readonly requests: SentRequest[] = [];
  readonly counters = new Map<string, number>();
  readonly #pending: Array<{ request: SentRequest; settle: (ok: boolean, e?: unknown) => void }> =
    [];

  constructor(options: { combine?: boolean; operationTimeout?: number } = {}) {
    super({ name: 'controlled', ...options });
  }

  /** Requests sent and not yet answered or failed. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Apply the oldest pending request (COUNTER_OVERFLOW if it would leave the safe range). */
  answer(): SentRequest {
    return this.#next(true);
  }

  /** Reject the oldest pending request with `error`, writing nothing. */
  fail(error: unknown = new Error('connection reset')): SentRequest {
    return this.#next(false, error);
  }

  #next(ok: boolean, error?: unknown): SentRequest {
    const next = this.#pending.shift();
    if (next === undefined) throw new Error('no request in flight');
    next.settle(ok, error);
    return next.request;
  }

  protected override doIncrement(
    key: string,
    delta: number,
    ttl: number,
    options: CallContext,
  ): Promise<Counter> {
    const request: SentRequest = { key, delta, ttl, options, answered: false };
    this.requests.push(request);
    return new Promise<Counter>((resolve, reject) => {
      this.#pending.push({
        request,
        settle: (ok, failure) => {
          request.answered = true;
          if (!ok) return reject(failure);
          const before = this.counters.get(key) ?? 0;
          const after = before + delta;
          if (!Number.isSafeInteger(after)) {
            return reject(this.counterError('COUNTER_OVERFLOW', key));
          }
          this.counters.set(key, after);
          request.before = before;
          request.after = after;
          resolve({ value: after, ttl: ttl > 0 ? ttl : null });
        },
      });
    });
  }

  protected doGet(): Promise<string | null> {
    return Promise.reject(new Error('not used'));
  }
  protected doSet(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
  protected doCheckAndSet(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  protected doCheckAndDelete(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  protected doDelete(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  protected async doPing(): Promise<void> {}
  protected async doClose(): Promise<void> {}
}

/** How a call settled, observable synchronously once settled. */
interface Tracked {
  readonly promise: Promise<unknown>;
  outcome?: { value: Counter } | { error: KVError };
}

function track(promise: Promise<Counter>): Tracked {
  const tracked: Tracked = { promise };
  tracked.promise.then(
    (value) => {
      tracked.outcome = { value: value as Counter };
    },
    (error: unknown) => {
      if (!isKVError(error)) throw new Error(`not a KVError: ${String(error)}`);
      tracked.outcome = { error };
    },
  );
  return tracked;
}

/** Let every promise reaction and follow-up send run. */
async function settleAll(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

function counterValue(tracked: Tracked): number | undefined {
  return tracked.outcome !== undefined && 'value' in tracked.outcome
    ? tracked.outcome.value.value
    : undefined;
}

function errorOf(tracked: Tracked): KVError {
  if (tracked.outcome === undefined || !('error' in tracked.outcome)) {
    throw new Error(`expected a rejection, got ${JSON.stringify(tracked.outcome)}`);
  }
  return tracked.outcome.error;
}

/** Start a lone call on `key` and keep it in flight, so the next calls wait. */
function occupy(backend: ControlledBackend, key = 'k'): Tracked {
  return track(backend.increment(key, 1));
}

describe('increment combining in KVBackendBase', () => {
  it('sends the first call at once and alone, under the caller’s own options', () => {
    const backend = new ControlledBackend();
    const signal = new AbortController().signal;
    void backend.increment('k', 5, { ttl: 100, signal, timeout: 1000 });
    expect(backend.requests).toHaveLength(1);
    expect(backend.requests[0]).toMatchObject({ key: 'k', delta: 5, ttl: 100 });
    expect(backend.requests[0]?.options).toMatchObject({ signal, timeout: 1000 });
  });

  it('sends the calls made while one is in flight as one request of their summed delta, each caller getting its prefix sum', async () => {
    const backend = new ControlledBackend();
    const first = occupy(backend);
    const waiting = [2, 3, 4].map((delta) => track(backend.increment('k', delta)));
    await settleAll();
    expect(backend.requests).toHaveLength(1);
    backend.answer();
    await settleAll();
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 9]);
    backend.answer();
    await settleAll();
    expect([first, ...waiting].map(counterValue)).toEqual([1, 3, 6, 10]);
    expect(backend.counters.get('k')).toBe(10);
  });

  it('passes the combined call’s ttl to every member', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const waiting = [1, 1].map(() => track(backend.increment('k', 1, { ttl: 500 })));
    backend.answer();
    await settleAll();
    backend.answer();
    await settleAll();
    expect(waiting.map((t) => t.outcome)).toEqual([
      { value: { value: 2, ttl: 500 } },
      { value: { value: 3, ttl: 500 } },
    ]);
  });

  it('keeps other keys independent: a call on another key goes out at once', () => {
    const backend = new ControlledBackend();
    occupy(backend, 'a');
    void backend.increment('b', 1);
    expect(backend.requests.map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('splits batches on a change of sign (0 fits either), in call order', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const deltas = [1, 0, 2, -1, 0, -3, 5, 0];
    const calls = deltas.map((delta) => track(backend.increment('k', delta)));
    while (calls.some((c) => c.outcome === undefined)) {
      backend.answer();
      await settleAll();
    }
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 3, -4, 5]);
    // The values of the calls run one at a time in call order.
    let running = 1;
    expect(calls.map(counterValue)).toEqual(deltas.map((delta) => (running += delta)));
  });

  it('splits batches on a different ttl', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const ttls = [100, 100, 200, 100, 0, 0];
    for (const ttl of ttls) track(backend.increment('k', 1, { ttl }));
    for (let i = 0; i < 5; i++) {
      backend.answer();
      await settleAll();
    }
    expect(backend.requests.map((r) => [r.delta, r.ttl])).toEqual([
      [1, 0],
      [2, 100],
      [1, 200],
      [1, 100],
      [2, 0],
    ]);
  });

  it('splits a batch where its running sum would leave the safe-integer range', async () => {
    const backend = new ControlledBackend();
    const half = 2 ** 52;
    backend.counters.set('k', -half); // so that every request's result stays in range
    occupy(backend);
    for (const delta of [half, half, 1, -half, -half, -1]) track(backend.increment('k', delta));
    for (let i = 0; i < 5; i++) {
      backend.answer();
      await settleAll();
    }
    expect(backend.requests.map((r) => r.delta)).toEqual([1, half, half + 1, -half, -half - 1]);
  });

  it('removes a waiting caller that aborts or times out: ABORTED/TIMEOUT, not indeterminate, its delta never sent', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const controller = new AbortController();
    const aborted = track(backend.increment('k', 100, { signal: controller.signal }));
    const timedOut = track(backend.increment('k', 1000, { timeout: 1 }));
    const kept = track(backend.increment('k', 2));
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errorOf(aborted)).toMatchObject({
      code: 'ABORTED',
      op: 'increment',
      key: 'k',
      indeterminate: false,
      unhealthy: false,
    });
    expect(errorOf(timedOut)).toMatchObject({
      code: 'TIMEOUT',
      op: 'increment',
      key: 'k',
      indeterminate: false,
    });
    backend.answer();
    await settleAll();
    backend.answer();
    await settleAll();
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 2]);
    expect(counterValue(kept)).toBe(3);
  });

  it('a member that leaves after its batch was sent is indeterminate, and its delta still counts in the others’ prefix sums', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const controller = new AbortController();
    const before = track(backend.increment('k', 1));
    const leaving = track(backend.increment('k', 10, { signal: controller.signal }));
    const after = track(backend.increment('k', 100));
    backend.answer();
    await settleAll();
    const batch = backend.requests[1] as SentRequest;
    expect(batch.delta).toBe(111);
    controller.abort();
    await settleAll();
    expect(errorOf(leaving)).toMatchObject({ code: 'ABORTED', indeterminate: true });
    expect(batch.options?.signal?.aborted).toBe(false);
    backend.answer();
    await settleAll();
    expect([counterValue(before), counterValue(after)]).toEqual([2, 112]);
  });

  it('cancels the batch request only when every member has left', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const controllers = [new AbortController(), new AbortController()];
    const members = controllers.map((c) => track(backend.increment('k', 1, { signal: c.signal })));
    backend.answer();
    await settleAll();
    const batch = backend.requests[1] as SentRequest;
    controllers[0]?.abort();
    await settleAll();
    expect(batch.options?.signal?.aborted).toBe(false);
    controllers[1]?.abort();
    await settleAll();
    expect(batch.options?.signal?.aborted).toBe(true);
    expect(members.map((m) => errorOf(m).indeterminate)).toEqual([true, true]);
  });

  it('runs a batch under its members’ latest deadline (none if one member has none)', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    track(backend.increment('k', 1, { timeout: 10_000 }));
    track(backend.increment('k', 1, { timeout: 20_000 }));
    backend.answer();
    await settleAll();
    const timeout = backend.requests[1]?.options?.timeout;
    expect(timeout).toBeGreaterThan(10_000);
    expect(timeout).toBeLessThanOrEqual(20_000);

    track(backend.increment('k', 1, { timeout: 10_000 }));
    track(backend.increment('k', 1));
    backend.answer();
    await settleAll();
    expect(backend.requests[2]?.options?.timeout).toBeUndefined();
  });

  it('gives waiting calls the backend’s operationTimeout when they set none', async () => {
    const backend = new ControlledBackend({ operationTimeout: 30 });
    const first = track(backend.increment('k', 1));
    const waiting = track(backend.increment('k', 1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(errorOf(first)).toMatchObject({ code: 'TIMEOUT', indeterminate: true });
    // The waiting call either timed out while waiting (determinate) or was sent and timed out.
    expect(errorOf(waiting).code).toBe('TIMEOUT');
  });

  it('re-sends the members of a batch that overflowed one at a time in call order', async () => {
    const backend = new ControlledBackend();
    backend.counters.set('k', Number.MAX_SAFE_INTEGER - 6);
    occupy(backend);
    const calls = [2, 2, 2].map((delta) => track(backend.increment('k', delta)));
    for (let i = 0; i < 5; i++) {
      backend.answer();
      await settleAll();
    }
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 6, 2, 2, 2]);
    expect(calls.slice(0, 2).map(counterValue)).toEqual([
      Number.MAX_SAFE_INTEGER - 3,
      Number.MAX_SAFE_INTEGER - 1,
    ]);
    expect(errorOf(calls[2] as Tracked)).toMatchObject({
      code: 'COUNTER_OVERFLOW',
      indeterminate: false,
      unhealthy: false,
    });
  });

  it('a member waiting for its re-send after an overflow leaves determinate, and calls behind it wait their turn', async () => {
    const backend = new ControlledBackend();
    backend.counters.set('k', Number.MAX_SAFE_INTEGER - 4);
    occupy(backend);
    const controller = new AbortController();
    const first = track(backend.increment('k', 2));
    const leaving = track(backend.increment('k', 2, { signal: controller.signal }));
    const third = track(backend.increment('k', 2));
    backend.answer(); // the lone call
    await settleAll();
    const behind = track(backend.increment('k', 1));
    backend.answer(); // the batch 2+2+2 overflows
    await settleAll();
    controller.abort();
    await settleAll();
    expect(errorOf(leaving)).toMatchObject({ code: 'ABORTED', indeterminate: false });
    while (backend.pendingCount > 0) {
      backend.answer();
      await settleAll();
    }
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 6, 2, 2, 1]);
    expect(counterValue(first)).toBe(Number.MAX_SAFE_INTEGER - 1);
    expect(errorOf(third).code).toBe('COUNTER_OVERFLOW');
    expect(counterValue(behind)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('a failed request fails its members but not the calls waiting behind it', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const members = [1, 1].map(() => track(backend.increment('k', 1)));
    backend.answer();
    await settleAll();
    const behind = track(backend.increment('k', 5));
    backend.fail(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await settleAll();
    for (const member of members) {
      expect(errorOf(member)).toMatchObject({
        code: 'INCREMENT_FAILED',
        op: 'increment',
        unhealthy: true,
        indeterminate: true,
      });
    }
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 2, 5]);
    backend.answer();
    await settleAll();
    expect(counterValue(behind)).toBe(6);
  });

  it('close() rejects calls not yet sent with a determinate CLOSED; the call in flight still settles', async () => {
    const backend = new ControlledBackend();
    const first = occupy(backend);
    const waiting = [1, 2].map((delta) => track(backend.increment('k', delta)));
    const closing = backend.close();
    await settleAll();
    for (const call of waiting) {
      expect(errorOf(call)).toMatchObject({
        code: 'CLOSED',
        op: 'increment',
        indeterminate: false,
        unhealthy: false,
      });
    }
    backend.answer();
    await closing;
    await settleAll();
    expect(counterValue(first)).toBe(1);
    expect(backend.requests).toHaveLength(1);
  });

  it('close() during an overflow re-send rejects the members not yet re-sent with CLOSED', async () => {
    const backend = new ControlledBackend();
    backend.counters.set('k', Number.MAX_SAFE_INTEGER - 3);
    occupy(backend);
    const calls = [1, 1, 1].map((delta) => track(backend.increment('k', delta)));
    backend.answer();
    await settleAll();
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 3]);
    const closing = backend.close();
    backend.answer(); // overflows after close: nothing may be re-sent
    await closing;
    await settleAll();
    for (const call of calls) expect(errorOf(call)).toMatchObject({ code: 'CLOSED' });
    expect(backend.requests).toHaveLength(2);
  });

  it('drops a key’s state once nothing is pending: the next lone call goes out at once', async () => {
    const backend = new ControlledBackend();
    occupy(backend);
    const controller = new AbortController();
    track(backend.increment('k', 1, { signal: controller.signal }));
    controller.abort();
    backend.answer();
    await settleAll();
    expect(backend.pendingCount).toBe(0);
    void backend.increment('k', 7);
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 7]);
    backend.answer();
    await settleAll();
    void backend.increment('k', 8);
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 7, 8]);
  });

  it('with combine: false every call is its own request', async () => {
    const backend = new ControlledBackend({ combine: false });
    const calls = [1, 2, 3].map((delta) => track(backend.increment('k', delta)));
    expect(backend.requests.map((r) => r.delta)).toEqual([1, 2, 3]);
    for (let i = 0; i < 3; i++) backend.answer();
    await settleAll();
    expect(calls.map(counterValue)).toEqual([1, 3, 6]);
  });
});

/** One step of the random schedule. */
type Action =
  | { kind: 'call'; sign: 1 | -1; ttl: number; abortable: boolean }
  | { kind: 'abort'; which: number }
  | { kind: 'answer' }
  | { kind: 'fail' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      sign: fc.constantFrom(1 as const, -1 as const),
      ttl: fc.constantFrom(0, 0, 100),
      abortable: fc.boolean(),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('abort' as const), which: fc.nat() }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'answer' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'fail' as const }), weight: 1 },
);

/** A caller of the random test, with what the combiner let it see. */
interface Caller {
  readonly index: number;
  readonly delta: number;
  readonly ttl: number;
  readonly controller: AbortController | undefined;
  readonly tracked: Tracked;
}

describe('increment combining under random schedules', () => {
  it('matches the one-at-a-time model: every request is a same-sign, same-ttl set of waiting calls in call order, and each caller sees its prefix sum', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
        const backend = new ControlledBackend();
        const callers: Caller[] = [];
        // Which callers were waiting (called, not sent, not settled) when each request went out.
        const sentAt: number[] = [];
        for (const step of actions) {
          if (step.kind === 'call') {
            // Distinct powers of two identify the members of every request from its delta.
            const delta = step.sign * 2 ** callers.length;
            const controller = step.abortable ? new AbortController() : undefined;
            const options: IncrementOptions = { ttl: step.ttl };
            if (controller) options.signal = controller.signal;
            callers.push({
              index: callers.length,
              delta,
              ttl: step.ttl,
              controller,
              tracked: track(backend.increment('k', delta, options)),
            });
          } else if (step.kind === 'abort') {
            const abortable = callers.filter((c) => c.controller !== undefined);
            abortable[step.which % Math.max(1, abortable.length)]?.controller?.abort();
          } else if (backend.pendingCount > 0) {
            if (step.kind === 'answer') backend.answer();
            else backend.fail();
          }
          await settleAll();
          while (sentAt.length < backend.requests.length) sentAt.push(callers.length);
        }
        while (backend.pendingCount > 0) {
          backend.answer();
          await settleAll();
          while (sentAt.length < backend.requests.length) sentAt.push(callers.length);
        }
        checkAgainstModel(backend.requests, sentAt, callers);
      }),
      { numRuns: 300 },
    );
  });
});

/** The members of a request whose delta is a sum of distinct ±2^i of one sign. */
function membersOf(request: SentRequest, callers: readonly Caller[]): Caller[] {
  const magnitude = Math.abs(request.delta);
  return callers.filter(
    (caller) =>
      Math.sign(caller.delta) === Math.sign(request.delta) &&
      Math.floor(magnitude / Math.abs(caller.delta)) % 2 === 1,
  );
}

function checkAgainstModel(
  requests: readonly SentRequest[],
  sentAt: readonly number[],
  callers: readonly Caller[],
): void {
  const carriedBy = new Map<number, number>();
  for (const [r, request] of requests.entries()) {
    const members = membersOf(request, callers);
    // The members' deltas add up to the request's: one sign, each member at most once.
    expect(members.reduce((sum, m) => sum + m.delta, 0)).toBe(request.delta);
    for (const member of members) {
      expect(carriedBy.has(member.index), `caller ${member.index} sent twice`).toBe(false);
      carriedBy.set(member.index, r);
      expect(member.ttl).toBe(request.ttl);
      // Called before the request went out.
      expect(member.index).toBeLessThan(sentAt[r] as number);
    }
    if (!request.answered) continue;
    // Each member still present sees the counter after the deltas up to its own, in call order.
    let running = request.before;
    for (const member of members) {
      if (running !== undefined) running += member.delta;
      const outcome = member.tracked.outcome;
      if (outcome !== undefined && 'value' in outcome) {
        expect(outcome.value).toEqual({
          value: running,
          ttl: request.ttl > 0 ? request.ttl : null,
        });
      }
    }
  }
  for (const caller of callers) {
    const outcome = caller.tracked.outcome;
    expect(outcome, `caller ${caller.index} never settled`).toBeDefined();
    const sent = carriedBy.has(caller.index);
    if (outcome !== undefined && 'error' in outcome) {
      // Indeterminate exactly when its delta went out; a call never sent is determinate.
      expect(outcome.error.indeterminate, `caller ${caller.index}: ${outcome.error.code}`).toBe(
        sent,
      );
    } else {
      expect(sent, `caller ${caller.index} resolved without being sent`).toBe(true);
    }
  }
}

/** A backend on which every checkAndSet loses to another writer: the default doIncrement retries. */
class ContendedBackend extends KVBackendBase {
  reads = 0;
  constructor() {
    super({ name: 'contended' });
  }
  protected async doGet(): Promise<string | null> {
    this.reads++;
    await nextTurn(); // a round trip: timers get their turn
    return String(this.reads);
  }
  protected async doCheckAndSet(): Promise<boolean> {
    await nextTurn();
    return false;
  }
  protected doSet(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
  protected doCheckAndDelete(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  protected doDelete(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  protected async doPing(): Promise<void> {}
  protected async doClose(): Promise<void> {}
}

describe('KVBackendBase’s default doIncrement', () => {
  it('stops retrying once its caller’s deadline passed, instead of spinning on a hot key', async () => {
    const backend = new ContendedBackend();
    await expect(backend.increment('k', 1, { timeout: 20 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      indeterminate: true,
    });
    let before = -1;
    for (let round = 0; round < 100 && backend.reads !== before; round++) {
      before = backend.reads;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(backend.reads, 'the loop still reads after its deadline').toBe(before);
  });

  it('stops retrying once every caller left', async () => {
    const backend = new ContendedBackend();
    const controller = new AbortController();
    const call = backend.increment('k', 1, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    let before = -1;
    for (let round = 0; round < 100 && backend.reads !== before; round++) {
      before = backend.reads;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(backend.reads).toBe(before);
  });
});

/**
 * A backend whose checkAndSet always loses and answers only once `lateBy` ms past the call: the
 * answer lands after the caller's deadline but, arriving on the same turn, before its timer ran.
 */
class LateLosingBackend extends KVBackendBase {
  constructor(readonly lateBy: number) {
    super({ name: 'late-losing' });
  }
  protected async doGet(): Promise<string | null> {
    return '1';
  }
  protected async doCheckAndSet(): Promise<boolean> {
    // A slow server, simulated without yielding: no timer can run before the answer is read.
    const until = performance.now() + this.lateBy;
    while (performance.now() < until) {
      // waiting
    }
    return false;
  }
  protected doSet(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
  protected doCheckAndDelete(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  protected doDelete(): Promise<boolean> {
    return Promise.reject(new Error('not used'));
  }
  protected async doPing(): Promise<void> {}
  protected async doClose(): Promise<void> {}
}

describe('KVBackendBase’s default doIncrement at its deadline', () => {
  it('rejects TIMEOUT, not INCREMENT_FAILED, when a lost checkAndSet answers after the deadline and before its timer ran', async () => {
    const backend = new LateLosingBackend(20);
    await expect(backend.increment('k', 1, { timeout: 5 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      op: 'increment',
      key: 'k',
      unhealthy: true,
      indeterminate: true,
    });
  });
});

describe('a run() override that throws synchronously', () => {
  /** Throws from run() for the next increment only, as a broken instrumentation hook might. */
  class ThrowingRunBackend extends ControlledBackend {
    throwNext = true;
    protected override run<T>(
      op: Parameters<KVBackendBase['run']>[0],
      key: string | undefined,
      options: OperationOptions | undefined,
      work: (call: CallContext) => Promise<T>,
    ): Promise<T> {
      if (op === 'increment' && this.throwNext) {
        this.throwNext = false;
        throw new Error('hook exploded');
      }
      return super.run(op, key, options, work);
    }
  }

  it('rejects the lone increment instead of throwing, and leaves no per-key state behind', async () => {
    const backend = new ThrowingRunBackend();
    let first: Promise<Counter> | undefined;
    expect(() => {
      first = backend.increment('k', 1);
    }).not.toThrow();
    await expect(first).rejects.toThrow('hook exploded');
    // The next call on the key goes out at once instead of waiting behind the failed one.
    const next = track(backend.increment('k', 2));
    expect(backend.requests.map((r) => r.delta)).toEqual([2]);
    backend.answer();
    await settleAll();
    expect(counterValue(next)).toBe(2);
  });
});
