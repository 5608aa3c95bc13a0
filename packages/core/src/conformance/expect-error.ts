import assert from 'node:assert/strict';
import type { KVBackend, KVOperation } from '../backend.js';
import type { KVErrorCode } from '../error-codes.js';
import { isKVError, type KVError } from '../errors.js';

/** What a rejection must look like. Flags not given must be false. */
export interface ExpectedRejection {
  code: KVErrorCode;
  op: KVOperation;
  /** When defined, `error.key` must equal it; otherwise `key` is not checked. */
  key?: string;
  unhealthy?: boolean;
  indeterminate?: boolean;
}

/** How a call settled. */
export type Outcome<T = unknown> =
  | { fulfilled: true; value: T }
  | { fulfilled: false; error: unknown };

/**
 * Assert that `call` rejects with a KVError of the expected shape from `backend`, and return it.
 * `what` names the call in failure messages.
 */
export async function expectKVError(
  backend: KVBackend,
  what: string,
  call: () => Promise<unknown>,
  expected: ExpectedRejection,
): Promise<KVError> {
  return assertRejected(backend, what, await settle(call), expected);
}

/** Assert that a call settled by rejecting with a KVError of the expected shape, and return it. */
export function assertRejected(
  backend: KVBackend,
  what: string,
  outcome: Outcome,
  expected: ExpectedRejection,
): KVError {
  if (outcome.fulfilled) {
    assert.fail(
      `${what} resolved (${String(outcome.value)}) instead of rejecting ${expected.code}`,
    );
  }
  const error = outcome.error;
  assert.ok(isKVError(error), `${what} rejected with a non-KVError: ${String(error)}`);
  assertShape(backend, what, error, expected);
  return error;
}

/** Assert that `error` is a KVError of the expected shape from `backend`. */
export function assertShape(
  backend: KVBackend,
  what: string,
  error: KVError,
  expected: ExpectedRejection,
): void {
  const actual = `${what} rejected with ${error.code}/${error.op}`;
  assert.equal(error.code, expected.code, `${actual}, expected code ${expected.code}`);
  assert.ok(error instanceof Error, `${actual}: not an instance of Error`);
  assert.equal(error.name, 'KVError', `${actual}: name is ${String(error.name)}`);
  assert.equal(error.backend, backend.name, `${actual}: backend is ${String(error.backend)}`);
  assert.equal(error.op, expected.op, `${actual}, expected op ${expected.op}`);
  if (expected.key !== undefined) assert.equal(error.key, expected.key, `${actual}: wrong key`);
  assert.equal(error.unhealthy, expected.unhealthy ?? false, `${actual}: wrong unhealthy flag`);
  assert.equal(
    error.indeterminate,
    expected.indeterminate ?? false,
    `${actual}: wrong indeterminate flag`,
  );
}

/** The outcome of a call that must return a promise; a synchronous throw is a failure. */
export async function settle<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    assert.fail(`threw synchronously instead of returning a rejected promise: ${String(error)}`);
  }
  return pending.then(
    (value) => ({ fulfilled: true as const, value }),
    (error: unknown) => ({ fulfilled: false as const, error }),
  );
}
