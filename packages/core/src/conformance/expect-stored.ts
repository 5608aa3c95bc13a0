import assert from 'node:assert/strict';
import type { KVBackend } from '../backend.js';
import { describeValue } from './describe-value.js';

/** Assert that `get(key)` reads `expected` (null: absent); `context` says what came before. */
export async function expectStored(
  backend: KVBackend,
  key: string,
  expected: string | null,
  context: string,
): Promise<void> {
  const actual = await backend.get(key);
  assert.equal(
    actual,
    expected,
    `after ${context}, get(${describeValue(key)}) read ${describeValue(actual)} instead of ${describeValue(expected)}`,
  );
}
