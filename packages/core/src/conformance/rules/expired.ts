import assert from 'node:assert/strict';
import type { KVBackend } from '../../backend.js';
import { expectStored } from '../expect-stored.js';
import { timed, untilExpired } from '../expiry.js';
import type { ConformanceHarness } from '../harness.js';

const SHORT_TTL_MS = 30;

/** Write `key` = 'old' with a short ttl and wait until it has certainly expired. */
async function expiredKey(backend: KVBackend, key: string): Promise<void> {
  const times = await timed(() => backend.set(key, 'old', { ttl: SHORT_TTL_MS }));
  await untilExpired(times, SHORT_TTL_MS);
}

/** An expired key is absent for every operation, whether or not it was purged yet. */
export function registerExpiredTests(suite: ConformanceHarness): void {
  suite.test('expired.get', 'get of an expired key resolves null', async ({ backend }) => {
    await expiredKey(backend, 'k');
    assert.equal(await backend.get('k'), null);
  });

  suite.test('expired.delete', 'delete of an expired key resolves false', async ({ backend }) => {
    await expiredKey(backend, 'k');
    assert.equal(await backend.delete('k'), false);
    await expectStored(backend, 'k', null, 'delete of an expired key');
  });

  suite.test(
    'expired.cad',
    'checkAndDelete of an expired key resolves false, even expecting its old value',
    async ({ backend }) => {
      await expiredKey(backend, 'k');
      assert.equal(await backend.checkAndDelete('k', 'old'), false);
      await expectStored(backend, 'k', null, 'checkAndDelete of an expired key');
    },
  );

  suite.test(
    'expired.cas-null',
    'checkAndSet(k, null, v) on an expired key succeeds and stores v without expiry',
    async ({ backend }) => {
      await expiredKey(backend, 'k');
      const times = await timed(async () => {
        assert.equal(await backend.checkAndSet('k', null, 'new'), true);
      });
      await expectStored(backend, 'k', 'new', 'checkAndSet(null) on an expired key');
      await untilExpired(times, SHORT_TTL_MS);
      await expectStored(
        backend,
        'k',
        'new',
        `checkAndSet(null) on an expired key, ${SHORT_TTL_MS} ms later`,
      );
    },
  );

  suite.test(
    'expired.cas-old',
    'checkAndSet(k, old, v) on an expired key resolves false and writes nothing',
    async ({ backend }) => {
      await expiredKey(backend, 'k');
      assert.equal(await backend.checkAndSet('k', 'old', 'new'), false);
      await expectStored(backend, 'k', null, 'checkAndSet(old) on an expired key');
    },
  );
}
