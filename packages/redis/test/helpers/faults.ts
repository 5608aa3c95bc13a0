import { isKVError, type KVError } from '@strongbox/core';
import { expect } from 'vitest';

/** Operations of the contract, each run once on a fixed key, for "every operation" checks. */
export const EVERY_OPERATION = {
  get: (kv: OperationTarget) => kv.get('k'),
  set: (kv: OperationTarget) => kv.set('k', 'v'),
  checkAndSet: (kv: OperationTarget) => kv.checkAndSet('k', null, 'v'),
  checkAndDelete: (kv: OperationTarget) => kv.checkAndDelete('k', 'v'),
  delete: (kv: OperationTarget) => kv.delete('k'),
  increment: (kv: OperationTarget) => kv.increment('k'),
  ping: (kv: OperationTarget) => kv.ping(),
} as const;

export type OperationName = keyof typeof EVERY_OPERATION;
type OperationTarget = import('@strongbox/core').KVBackend;

export const WRITES: ReadonlySet<string> = new Set([
  'set',
  'checkAndSet',
  'checkAndDelete',
  'delete',
  'increment',
]);

/** Run one operation and return its rejection with how long it took; fails if it resolves. */
export async function timedRejection(
  work: () => Promise<unknown>,
): Promise<{ error: KVError; elapsed: number }> {
  const started = performance.now();
  try {
    await work();
  } catch (error) {
    const elapsed = performance.now() - started;
    expect(isKVError(error), String(error)).toBe(true);
    return { error: error as KVError, elapsed };
  }
  return expect.unreachable('expected the operation to reject');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
