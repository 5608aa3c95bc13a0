import assert from 'node:assert/strict';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';

/** checkAndDelete: deletes only when the live value equals `expected` exactly. */
export function registerCheckAndDeleteTests(suite: ConformanceHarness): void {
  suite.test(
    'cad.match',
    'checkAndDelete(k, current) removes the key and resolves true',
    async ({ backend }) => {
      await backend.set('k', 'lease-1');
      await backend.set('other', 'lease-1');
      assert.equal(await backend.checkAndDelete('k', 'lease-1'), true);
      await expectStored(backend, 'k', null, 'a matching checkAndDelete');
      await expectStored(backend, 'other', 'lease-1', 'checkAndDelete of another key');
    },
  );

  suite.test(
    'cad.mismatch',
    'checkAndDelete with any other expected value resolves false and keeps the key',
    async ({ backend }) => {
      await backend.set('k', 'lease-1');
      for (const expected of ['lease-2', 'lease-', 'LEASE-1', 'lease-1 ', '']) {
        assert.equal(
          await backend.checkAndDelete('k', expected),
          false,
          `checkAndDelete expecting ${JSON.stringify(expected)} on "lease-1"`,
        );
      }
      await expectStored(backend, 'k', 'lease-1', 'failed checkAndDeletes');
    },
  );

  suite.test(
    'cad.absent',
    'checkAndDelete on an absent key resolves false, whatever it expects ("" included)',
    async ({ backend }) => {
      assert.equal(await backend.checkAndDelete('k', 'lease-1'), false, 'expecting "lease-1"');
      assert.equal(await backend.checkAndDelete('k', ''), false, 'expecting ""');
      await expectStored(backend, 'k', null, 'checkAndDelete on an absent key');
    },
  );

  suite.test('cad.empty', 'checkAndDelete(k, "") removes a key holding ""', async ({ backend }) => {
    await backend.set('k', '');
    assert.equal(await backend.checkAndDelete('k', ''), true);
    await expectStored(backend, 'k', null, 'checkAndDelete(k, "")');
  });
}
