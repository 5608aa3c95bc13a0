import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { isHealthError, isIndeterminate, isKVError, type KVError } from '../../errors.js';
import { expectKVError } from '../expect-error.js';
import type { ConformanceHarness } from '../harness.js';

/** A value that must never appear in an error. */
const SECRET_VALUE = 'secret-value-7f3a9c';

/** Assert no rendering of `error` shows {@link SECRET_VALUE}. */
function assertHidden(error: KVError, op: string): void {
  const rendered = [error.message, error.stack, String(error), inspect(error, { depth: 5 })];
  for (const text of rendered) {
    assert.ok(!text?.includes(SECRET_VALUE), `the ${op} error shows the value: ${text}`);
  }
}

/** Error shape: every rejection is a KVError with code, backend, op, key and flags. */
export function registerErrorTests(suite: ConformanceHarness): void {
  suite.test(
    'errors.shape',
    'a rejection is a KVError: instanceof Error, name, code, backend, op, key, flags, recognized by the helpers',
    async ({ backend }) => {
      const error = await expectKVError(
        backend,
        'set(k, 42)',
        () => backend.set('k', 42 as never),
        {
          code: 'INVALID_VALUE',
          op: 'set',
          key: 'k',
        },
      );
      assert.ok(error instanceof Error, 'instanceof Error');
      assert.equal(error.name, 'KVError');
      assert.equal(typeof error.message, 'string');
      assert.ok(error.message.length > 0, 'message is empty');
      assert.equal(typeof error.stack, 'string', 'stack');
      assert.ok(isKVError(error), 'isKVError');
      assert.ok(isKVError(error, 'INVALID_VALUE'), "isKVError(error, 'INVALID_VALUE')");
      assert.ok(!isKVError(error, 'INVALID_KEY'), "isKVError(error, 'INVALID_KEY')");
      assert.ok(!isHealthError(error), 'isHealthError');
      assert.ok(!isIndeterminate(error), 'isIndeterminate');
    },
  );

  suite.test(
    'errors.no-values',
    'errors never echo the values of the call, nor a stored value increment found not to be a counter',
    async ({ backend }) => {
      const calls = [
        () => backend.set('k', SECRET_VALUE, { ttl: 'soon' as never }),
        () =>
          backend.checkAndSet('k', SECRET_VALUE, `${SECRET_VALUE}-next`, { ttl: 'soon' as never }),
        () => backend.checkAndDelete('k', SECRET_VALUE, { timeout: -1 }),
      ];
      const ops = ['set', 'checkAndSet', 'checkAndDelete'] as const;
      for (const [i, call] of calls.entries()) {
        const op = ops[i] as (typeof ops)[number];
        const error = await expectKVError(backend, `${op} with a bad option`, call, {
          code: op === 'checkAndDelete' ? 'INVALID_CONFIG' : 'INVALID_TTL',
          op,
          key: 'k',
        });
        assertHidden(error, op);
      }
      await backend.set('k', SECRET_VALUE);
      const notACounter = await expectKVError(
        backend,
        'increment of a string',
        () => backend.increment('k'),
        {
          code: 'NOT_A_COUNTER',
          op: 'increment',
          key: 'k',
        },
      );
      assertHidden(notACounter, 'increment');
    },
  );
}
