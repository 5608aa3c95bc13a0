import assert from 'node:assert/strict';
import type { KVBackend } from '../../backend.js';
import { expectStored } from '../expect-stored.js';
import {
  certainlyLiveUntil,
  checkExpiryBound,
  probeOf,
  timed,
  untilExpired,
  withGrowingTtl,
} from '../expiry.js';
import type { ConformanceHarness } from '../harness.js';
import { now, sleep } from '../timing.js';
import { TEST_TTL_MS } from './ttl.js';

/**
 * Write `key` with `ttl`, let a third of it pass, rewrite it to 'b' with `keepTtl` through
 * `rewrite` (which resolves false if it did not apply), and check the key still expires on the
 * first write's schedule. Returns the live reads made, or 0 when the rewrite could not finish
 * before the key might have expired (too slow a machine).
 */
async function checkExpiryKept(
  backend: KVBackend,
  key: string,
  ttl: number,
  rewrite: () => Promise<unknown>,
  what: string,
): Promise<number> {
  const times = await timed(() => backend.set(key, 'a', { ttl }));
  await sleep(ttl / 3);
  const applied = await rewrite();
  if (now() >= certainlyLiveUntil(times, ttl)) return 0;
  assert.notEqual(applied, false, `${what} on a live key did not apply`);
  return checkExpiryBound([probeOf(backend, key, 'b', what)], times, ttl, 'the first write');
}

/** keepTtl: a write keeps the key's current expiry (none for a key without one, or absent). */
export function registerKeepTtlTests(suite: ConformanceHarness): void {
  suite.test(
    'ttl.keep.set',
    'set with keepTtl replaces the value and keeps the current expiry',
    async ({ backend }) => {
      await withGrowingTtl(TEST_TTL_MS, (ttl, attempt) => {
        const key = `k${attempt}`;
        return checkExpiryKept(
          backend,
          key,
          ttl,
          () => backend.set(key, 'b', { keepTtl: true }),
          'set with keepTtl',
        );
      });
    },
  );

  suite.test(
    'ttl.keep.cas',
    'checkAndSet with keepTtl replaces the value and keeps the current expiry',
    async ({ backend }) => {
      await withGrowingTtl(TEST_TTL_MS, (ttl, attempt) => {
        const key = `k${attempt}`;
        return checkExpiryKept(
          backend,
          key,
          ttl,
          () => backend.checkAndSet(key, 'a', 'b', { keepTtl: true }),
          'checkAndSet with keepTtl',
        );
      });
    },
  );

  suite.test(
    'ttl.keep.no-expiry',
    'keepTtl on a key without expiry keeps it without expiry',
    async ({ backend }) => {
      const times = await timed(async () => {
        await backend.set('set', 'a');
        await backend.set('set', 'b', { keepTtl: true });
        await backend.set('cas', 'a');
        assert.equal(await backend.checkAndSet('cas', 'a', 'b', { keepTtl: true }), true);
      });
      await untilExpired(times, TEST_TTL_MS);
      await expectStored(
        backend,
        'set',
        'b',
        `set with keepTtl on a key without expiry, ${TEST_TTL_MS} ms later`,
      );
      await expectStored(
        backend,
        'cas',
        'b',
        `checkAndSet with keepTtl on a key without expiry, ${TEST_TTL_MS} ms later`,
      );
    },
  );

  suite.test(
    'ttl.keep.absent',
    'keepTtl on an absent or expired key stores it without expiry',
    async ({ backend }) => {
      const expiring = await timed(async () => {
        await backend.set('expired-set', 'old', { ttl: 20 });
        await backend.set('expired-cas', 'old', { ttl: 20 });
      });
      await untilExpired(expiring, 20);
      const times = await timed(async () => {
        await backend.set('absent-set', 'new', { keepTtl: true });
        assert.equal(await backend.checkAndSet('absent-cas', null, 'new', { keepTtl: true }), true);
        await backend.set('expired-set', 'new', { keepTtl: true });
        assert.equal(
          await backend.checkAndSet('expired-cas', null, 'new', { keepTtl: true }),
          true,
        );
      });
      for (const key of ['absent-set', 'absent-cas', 'expired-set', 'expired-cas']) {
        await expectStored(backend, key, 'new', `a keepTtl write to ${key}`);
      }
      await untilExpired(times, TEST_TTL_MS);
      for (const key of ['absent-set', 'absent-cas', 'expired-set', 'expired-cas']) {
        await expectStored(
          backend,
          key,
          'new',
          `a keepTtl write to ${key}, ${TEST_TTL_MS} ms later`,
        );
      }
    },
  );
}
