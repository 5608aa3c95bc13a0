import assert from 'node:assert/strict';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';

/** Two backends from `create()` share nothing. */
export function registerIsolationTests(suite: ConformanceHarness): void {
  suite.test(
    'isolation.instances',
    "two backends from create() do not see each other's keys, and closing one leaves the other working",
    async ({ backend: first, createAnother }) => {
      const second = await createAnother();
      await first.set('shared', 'first');
      await expectStored(second, 'shared', null, 'a set on the other backend');
      assert.equal(
        await second.checkAndSet('shared', null, 'second'),
        true,
        'checkAndSet(null) on the second',
      );
      await expectStored(first, 'shared', 'first', 'a checkAndSet on the other backend');
      assert.equal(await second.delete('shared'), true, 'delete on the second');
      await expectStored(first, 'shared', 'first', 'a delete on the other backend');
      await second.close();
      await expectStored(first, 'shared', 'first', 'closing the other backend');
      await first.ping();
    },
  );
}
