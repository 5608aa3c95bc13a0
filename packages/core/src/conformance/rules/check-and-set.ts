import assert from 'node:assert/strict';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';

/** Expected values that are close to "value" but not equal to it. */
const NEAR_MISSES = ['valu', 'value ', 'Value', 'VALUE', ' value', 'value\u0000', ''];

/** checkAndSet: compares the live value exactly; null means absent. */
export function registerCheckAndSetTests(suite: ConformanceHarness): void {
  suite.test(
    'cas.absent',
    'checkAndSet(k, null, v) on an absent key stores v and resolves true',
    async ({ backend }) => {
      assert.equal(await backend.checkAndSet('k', null, 'v'), true);
      await expectStored(backend, 'k', 'v', "checkAndSet('k', null, 'v')");
    },
  );

  suite.test(
    'cas.absent-taken',
    'checkAndSet(k, null, v) on a live key resolves false and writes nothing',
    async ({ backend }) => {
      await backend.set('k', 'value');
      assert.equal(await backend.checkAndSet('k', null, 'other'), false);
      await expectStored(backend, 'k', 'value', 'a failed checkAndSet');
    },
  );

  suite.test(
    'cas.match',
    'checkAndSet(k, current, next) stores next and resolves true',
    async ({ backend }) => {
      await backend.set('k', 'value');
      assert.equal(await backend.checkAndSet('k', 'value', 'next'), true);
      await expectStored(backend, 'k', 'next', 'a matching checkAndSet');
      assert.equal(await backend.checkAndSet('k', 'next', 'value'), true, 'and back again');
      await expectStored(backend, 'k', 'value', 'a second matching checkAndSet');
    },
  );

  suite.test(
    'cas.stale',
    'checkAndSet with any other expected value resolves false (not an error) and writes nothing',
    async ({ backend }) => {
      await backend.set('k', 'value');
      for (const expected of NEAR_MISSES) {
        assert.equal(
          await backend.checkAndSet('k', expected, 'other'),
          false,
          `checkAndSet expecting ${JSON.stringify(expected)} on "value"`,
        );
      }
      await expectStored(backend, 'k', 'value', 'failed checkAndSets');
    },
  );

  suite.test(
    'cas.stale-absent',
    'checkAndSet(k, v, next) on an absent key resolves false and leaves it absent',
    async ({ backend }) => {
      assert.equal(await backend.checkAndSet('k', 'value', 'next'), false);
      await expectStored(backend, 'k', null, 'a failed checkAndSet on an absent key');
    },
  );

  suite.test(
    'cas.empty',
    'checkAndSet tells "" from absent: null does not match "", "" does not match absent',
    async ({ backend }) => {
      await backend.set('empty', '');
      assert.equal(await backend.checkAndSet('empty', null, 'x'), false, 'null expected on ""');
      await expectStored(backend, 'empty', '', 'checkAndSet(null) on ""');
      assert.equal(await backend.checkAndSet('absent', '', 'x'), false, '"" expected on absent');
      await expectStored(backend, 'absent', null, 'checkAndSet("") on an absent key');
      assert.equal(await backend.checkAndSet('empty', '', 'x'), true, '"" expected on ""');
      await expectStored(backend, 'empty', 'x', 'checkAndSet("", "x") on ""');
      assert.equal(
        await backend.checkAndSet('new', null, ''),
        true,
        'storing "" with null expected',
      );
      await expectStored(backend, 'new', '', 'checkAndSet(null, "")');
    },
  );
}
