import { describe, expect, it } from 'vitest';
import { KVBackendBase } from '../src/backend-base.js';
import type { CallContext } from '../src/call-context.js';
import type { Interruption } from '../src/deadline.js';
import { isKVError } from '../src/errors.js';

/** A backend whose get never answers and which records each call's context and recalls. */
class HangingBackend extends KVBackendBase {
  readonly contexts: CallContext[] = [];
  readonly recalled: Array<{ call: CallContext; reason: Interruption }> = [];
  /** Register the recall only after this many turns (a request sent late). */
  registerLate = false;

  constructor(operationTimeout?: number) {
    super({ name: 'hanging', operationTimeout });
  }
  protected doGet(_key: string, call: CallContext) {
    this.contexts.push(call);
    const register = () => call.onInterrupt((reason) => this.recalled.push({ call, reason }));
    if (this.registerLate) setTimeout(register, 30);
    else register();
    return new Promise<string | null>(() => undefined);
  }
  protected doSet(_key: string, _value: string, _expiry: unknown, call: CallContext) {
    this.contexts.push(call);
    return Promise.resolve();
  }
  protected doCheckAndSet() {
    return Promise.resolve(true);
  }
  protected doCheckAndDelete() {
    return Promise.resolve(true);
  }
  protected doDelete() {
    return Promise.resolve(true);
  }
  protected doPing() {
    return Promise.resolve();
  }
  protected async doClose() {}
}

describe('the CallContext a do* method gets', () => {
  it('carries the signal and the timeout (the call’s own, else operationTimeout) and a deadline', async () => {
    const backend = new HangingBackend(5000);
    const controller = new AbortController();
    const before = performance.now();
    await backend.set('k', 'v', { signal: controller.signal, timeout: 1000 });
    await backend.set('k', 'v');
    const [own, fallback] = backend.contexts;
    expect(own?.signal).toBe(controller.signal);
    expect(own?.timeout).toBe(1000);
    expect(own?.deadline).toBeGreaterThanOrEqual(before + 1000);
    expect(own?.deadline).toBeLessThanOrEqual(performance.now() + 1000);
    expect(fallback?.timeout).toBe(5000);
    expect(fallback?.interrupted).toBeUndefined();
  });

  it('without a deadline or a signal: no deadline, and a recall that never runs', async () => {
    const backend = new HangingBackend();
    await backend.set('k', 'v');
    const [call] = backend.contexts;
    expect(call?.deadline).toBe(Infinity);
    expect(call?.signal).toBeUndefined();
    expect(call?.timeout).toBeUndefined();
  });

  it('runs the registered recall once when the deadline passes, and marks the call interrupted', async () => {
    const backend = new HangingBackend();
    const error = await backend.get('k', { timeout: 10 }).catch((e: unknown) => e);
    expect(isKVError(error, 'TIMEOUT')).toBe(true);
    expect(backend.recalled).toEqual([{ call: backend.contexts[0], reason: 'TIMEOUT' }]);
    expect(backend.contexts[0]?.interrupted).toBe('TIMEOUT');
  });

  it('runs it when the signal aborts in flight, and not for calls that were answered', async () => {
    const backend = new HangingBackend();
    const controller = new AbortController();
    const call = backend.get('k', { signal: controller.signal });
    await backend.set('k', 'v', { timeout: 1000 });
    expect(backend.recalled).toHaveLength(0);
    controller.abort();
    expect(isKVError(await call.catch((e: unknown) => e), 'ABORTED')).toBe(true);
    expect(backend.recalled.map((entry) => entry.reason)).toEqual(['ABORTED']);
  });

  it('runs a recall registered after the caller left at once', async () => {
    const backend = new HangingBackend();
    backend.registerLate = true;
    const error = await backend.get('k', { timeout: 5 }).catch((e: unknown) => e);
    expect(isKVError(error, 'TIMEOUT')).toBe(true);
    expect(backend.recalled).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(backend.recalled.map((entry) => entry.reason)).toEqual(['TIMEOUT']);
  });

  it('a recall that throws does not escape the deadline timer', async () => {
    class ThrowingRecall extends HangingBackend {
      protected override doGet(_key: string, call: CallContext) {
        call.onInterrupt(() => {
          throw new Error('recall failed');
        });
        return new Promise<string | null>(() => undefined);
      }
    }
    const error = await new ThrowingRecall().get('k', { timeout: 5 }).catch((e: unknown) => e);
    expect(isKVError(error, 'TIMEOUT')).toBe(true);
  });
});
