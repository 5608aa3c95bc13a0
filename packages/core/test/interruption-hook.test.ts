import { describe, expect, it } from 'vitest';
import { KVBackendBase } from '../src/backend-base.js';
import type { Interruption } from '../src/deadline.js';
import { isKVError } from '../src/errors.js';

/** A backend whose get never answers and which records what `onInterrupted` was told. */
class HangingBackend extends KVBackendBase {
  readonly pending = new Set<Promise<unknown>>();
  readonly interrupted: Array<{ work: Promise<unknown>; reason: Interruption }> = [];

  constructor() {
    super({ name: 'hanging' });
  }
  protected doGet() {
    const work = new Promise<string | null>(() => undefined);
    this.pending.add(work);
    return work;
  }
  protected doSet() {
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
  protected override onInterrupted(work: Promise<unknown>, reason: Interruption): void {
    this.interrupted.push({ work, reason });
  }
}

describe('KVBackendBase.onInterrupted', () => {
  it('receives the work promise of a call whose deadline passed', async () => {
    const backend = new HangingBackend();
    const error = await backend.get('k', { timeout: 10 }).catch((e: unknown) => e);
    expect(isKVError(error, 'TIMEOUT')).toBe(true);
    expect(backend.interrupted).toHaveLength(1);
    expect(backend.interrupted[0]?.reason).toBe('TIMEOUT');
    expect(backend.pending.has(backend.interrupted[0]?.work as Promise<unknown>)).toBe(true);
  });

  it('receives the work promise of a call aborted in flight, and is not called otherwise', async () => {
    const backend = new HangingBackend();
    const controller = new AbortController();
    const call = backend.get('k', { signal: controller.signal });
    await backend.set('k', 'v', { timeout: 1000 });
    expect(backend.interrupted).toHaveLength(0);
    controller.abort();
    expect(isKVError(await call.catch((e: unknown) => e), 'ABORTED')).toBe(true);
    expect(backend.interrupted.map((entry) => entry.reason)).toEqual(['ABORTED']);
  });
});
