import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { KVBackendBase } from '../src/backend-base.js';
import {
  type OperationTraceContext,
  UPDATE_CONFLICT_CHANNEL,
  type UpdateConflictMessage,
} from '../src/diagnostics.js';
import { isKVError } from '../src/errors.js';
import { update } from '../src/update.js';
import { LinearizabilityTestBackend } from './linearizability-test-backend.js';

/** A Map-backed backend whose `get` of the key 'broken' fails like a lost connection. */
class MapBackend extends KVBackendBase {
  readonly #store = new Map<string, string>();
  constructor(options: { redactKeys?: boolean } = {}) {
    super({ name: 'map', ...options });
  }
  protected async doGet(key: string) {
    if (key === 'broken') throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    return this.#store.get(key) ?? null;
  }
  protected async doSet(key: string, value: string) {
    this.#store.set(key, value);
  }
  protected async doCheckAndSet(key: string, expected: string | null, next: string) {
    if ((this.#store.get(key) ?? null) !== expected) return false;
    this.#store.set(key, next);
    return true;
  }
  protected async doCheckAndDelete(key: string, expected: string) {
    return this.#store.get(key) === expected && this.#store.delete(key);
  }
  protected async doDelete(key: string) {
    return this.#store.delete(key);
  }
  protected async doPing() {}
  protected async doClose() {}
}

type EventName = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
interface Seen {
  event: EventName;
  op: string;
  context: OperationTraceContext;
}

const unsubscribers: (() => void)[] = [];
afterEach(() => {
  for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
});

/** Record every event of the given operations' channels. */
function record(ops: string[]): Seen[] {
  const seen: Seen[] = [];
  for (const op of ops) {
    const channel = tracingChannel(`strongbox:${op}`);
    const handlers = Object.fromEntries(
      (['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const).map((event) => [
        event,
        (context: unknown) => {
          seen.push({ event, op, context: { ...(context as OperationTraceContext) } });
        },
      ]),
    ) as Record<EventName, (context: unknown) => void>;
    channel.subscribe(handlers);
    unsubscribers.push(() => channel.unsubscribe(handlers));
  }
  return seen;
}

describe('diagnostics channels', () => {
  it('publish start, end, asyncStart and asyncEnd of each operation with backend, op and key', async () => {
    const seen = record(['get', 'set', 'checkAndSet', 'checkAndDelete', 'delete', 'ping']);
    const kv = new MapBackend();
    await kv.set('k', 'v');
    expect(await kv.get('k')).toBe('v');
    await kv.checkAndSet('k', 'v', 'w');
    await kv.checkAndDelete('k', 'w');
    await kv.delete('k');
    await kv.ping();
    const ops = ['set', 'get', 'checkAndSet', 'checkAndDelete', 'delete', 'ping'];
    expect(seen.map((s) => `${s.op}:${s.event}`)).toEqual(
      ops.flatMap((op) => ['start', 'end', 'asyncStart', 'asyncEnd'].map((e) => `${op}:${e}`)),
    );
    const getStart = seen.find((s) => s.op === 'get' && s.event === 'start');
    expect(getStart?.context).toEqual({ backend: 'map', op: 'get', key: 'k' });
    expect(seen.find((s) => s.op === 'get' && s.event === 'asyncEnd')?.context.result).toBe('v');
    expect(seen.find((s) => s.op === 'ping')?.context).toEqual({ backend: 'map', op: 'ping' });
  });

  it('publish error with the KVError and its code before asyncEnd', async () => {
    const seen = record(['get']);
    const error = await new MapBackend().get('broken').catch((e: unknown) => e);
    expect(isKVError(error, 'GET_FAILED')).toBe(true);
    expect(seen.map((s) => s.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    const failed = seen.find((s) => s.event === 'error')?.context;
    expect(failed?.errorCode).toBe('GET_FAILED');
    expect(failed?.error).toBe(error);
  });

  it('leave the key out when the backend redacts keys', async () => {
    const seen = record(['set']);
    await new MapBackend({ redactKeys: true }).set('secret-key', 'v');
    expect(seen.length).toBeGreaterThan(0);
    for (const { context } of seen) expect(JSON.stringify(context)).not.toContain('secret-key');
  });

  it('publish nothing for a call rejected before any I/O', async () => {
    const seen = record(['get']);
    await new MapBackend().get('').catch(() => undefined);
    expect(seen).toEqual([]);
  });

  it('carry the batch size of combined increments, one traced request per batch', async () => {
    const seen = record(['increment']);
    const kv = new LinearizabilityTestBackend({ latency: 'network', seed: 7 });
    const results = await Promise.all(Array.from({ length: 10 }, () => kv.increment('hot')));
    expect(results.map((r) => r.value).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    const sizes = seen.filter((s) => s.event === 'start').map((s) => s.context.batchSize);
    // The first call goes alone; the nine behind it go as one combined request.
    expect(sizes).toEqual([1, 9]);
  });

  it("run a combined batch's request in its first member's async context", async () => {
    const caller = new AsyncLocalStorage<number>();
    const startedIn: (number | undefined)[] = [];
    const channel = tracingChannel('strongbox:increment');
    const handlers = { start: () => void startedIn.push(caller.getStore()) };
    channel.subscribe(handlers as never);
    unsubscribers.push(() => channel.unsubscribe(handlers as never));
    const kv = new LinearizabilityTestBackend({ latency: 'network', seed: 3 });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => caller.run(i, () => kv.increment('hot'))),
    );
    // Call 0 goes alone; calls 1..4 wait and go as one batch, in call 1's context.
    expect(startedIn).toEqual([0, 1]);
  });

  it('report each conflicting update commit on strongbox:update:conflict', async () => {
    const conflicts: UpdateConflictMessage[] = [];
    const listener = (message: unknown) => void conflicts.push(message as UpdateConflictMessage);
    subscribe(UPDATE_CONFLICT_CHANNEL, listener);
    unsubscribers.push(() => unsubscribe(UPDATE_CONFLICT_CHANNEL, listener));
    const kv = new MapBackend();
    await kv.set('k', '0');
    let interfered = false;
    const result = await update(kv, 'k', (current) => {
      // Another writer changes the key between this call's read and its commit, once.
      if (!interfered) {
        interfered = true;
        void kv.set('k', '10');
      }
      return { result: current, next: String(Number(current) + 1) };
    });
    expect(result).toBe('10');
    expect(await kv.get('k')).toBe('11');
    expect(conflicts).toEqual([{ backend: 'map', calls: 1 }]);
  });
});
