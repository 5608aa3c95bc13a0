import assert from 'node:assert/strict';
import { expectStored } from '../expect-stored.js';
import { checkExpiryBound, probeOf, timed, untilExpired, withGrowingTtl } from '../expiry.js';
import type { ConformanceHarness } from '../harness.js';
import { sleep } from '../timing.js';

/** TTL of the expiry tests; short, so the suite stays fast. */
export const TEST_TTL_MS = 100;

/** TTLs far beyond any timer's range, up to the largest one allowed. */
const LONG_TTLS = [
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  10 * 365 * 24 * 3_600_000,
  Number.MAX_SAFE_INTEGER,
];

/** TTLs: omitted or 0 means no expiry; otherwise the key expires within the contract's bound. */
export function registerTtlTests(suite: ConformanceHarness): void {
  suite.test('ttl.none', 'a key written without ttl does not expire', async ({ backend }) => {
    const times = await timed(async () => {
      await backend.set('set', 'v');
      await backend.checkAndSet('cas', null, 'v');
    });
    await untilExpired(times, TEST_TTL_MS);
    await expectStored(backend, 'set', 'v', `set without ttl, ${TEST_TTL_MS} ms later`);
    await expectStored(backend, 'cas', 'v', `checkAndSet without ttl, ${TEST_TTL_MS} ms later`);
  });

  suite.test('ttl.zero', 'ttl: 0 means no expiry, for set and checkAndSet', async ({ backend }) => {
    const times = await timed(async () => {
      await backend.set('set', 'v', { ttl: 0 });
      await backend.checkAndSet('cas', null, 'v', { ttl: 0 });
    });
    await expectStored(backend, 'set', 'v', 'set with ttl 0');
    await expectStored(backend, 'cas', 'v', 'checkAndSet with ttl 0');
    await untilExpired(times, TEST_TTL_MS);
    await expectStored(backend, 'set', 'v', `set with ttl 0, ${TEST_TTL_MS} ms later`);
    await expectStored(backend, 'cas', 'v', `checkAndSet with ttl 0, ${TEST_TTL_MS} ms later`);
  });

  suite.test(
    'ttl.set',
    'set with ttl T: present for reads completing before invoke+T-5ms, absent for reads starting after resolve+T+5ms',
    async ({ backend }) => {
      await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
        const key = `k${attempt}`;
        const times = await timed(() => backend.set(key, 'v', { ttl }));
        return checkExpiryBound([probeOf(backend, key, 'v', key)], times, ttl, 'set with ttl');
      });
    },
  );

  suite.test(
    'ttl.cas',
    'checkAndSet with ttl T sets the expiry, both creating a key and replacing a value',
    async ({ backend }) => {
      await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
        const created = `created${attempt}`;
        const replaced = `replaced${attempt}`;
        await backend.set(replaced, 'old');
        const times = await timed(async () => {
          assert.equal(await backend.checkAndSet(created, null, 'v', { ttl }), true);
          assert.equal(await backend.checkAndSet(replaced, 'old', 'v', { ttl }), true);
        });
        const probes = [
          probeOf(backend, created, 'v', 'a key created by checkAndSet(null)'),
          probeOf(backend, replaced, 'v', 'a key replaced by checkAndSet(old)'),
        ];
        return checkExpiryBound(probes, times, ttl, 'checkAndSet with ttl');
      });
    },
  );

  suite.test(
    'ttl.replace.set',
    'set replaces the TTL: no ttl (or 0) removes an expiry, a ttl adds one',
    async ({ backend }) => {
      const cleared = await timed(async () => {
        await backend.set('cleared', 'a', { ttl: TEST_TTL_MS });
        await backend.set('cleared', 'b');
        await backend.set('zeroed', 'a', { ttl: TEST_TTL_MS });
        await backend.set('zeroed', 'b', { ttl: 0 });
      });
      await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
        const key = `added${attempt}`;
        await backend.set(key, 'a');
        const times = await timed(() => backend.set(key, 'b', { ttl }));
        const probe = probeOf(backend, key, 'b', 'a key without expiry');
        return checkExpiryBound([probe], times, ttl, 'set with ttl');
      });
      await untilExpired(cleared, TEST_TTL_MS);
      await expectStored(backend, 'cleared', 'b', 'set without ttl over a key with a ttl');
      await expectStored(backend, 'zeroed', 'b', 'set with ttl 0 over a key with a ttl');
    },
  );

  suite.test(
    'ttl.replace.cas',
    'checkAndSet replaces the TTL: no ttl removes an expiry, a ttl replaces a longer one',
    async ({ backend }) => {
      const cleared = await timed(async () => {
        await backend.set('cleared', 'a', { ttl: TEST_TTL_MS });
        assert.equal(await backend.checkAndSet('cleared', 'a', 'b'), true);
      });
      await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
        const key = `shortened${attempt}`;
        await backend.set(key, 'a', { ttl: 3_600_000 });
        const times = await timed(() => backend.checkAndSet(key, 'a', 'b', { ttl }));
        const probe = probeOf(backend, key, 'b', 'a key with a one-hour ttl');
        return checkExpiryBound([probe], times, ttl, 'checkAndSet with a shorter ttl');
      });
      await untilExpired(cleared, TEST_TTL_MS);
      await expectStored(backend, 'cleared', 'b', 'checkAndSet without ttl over a key with a ttl');
    },
  );

  suite.test(
    'ttl.long',
    'very long TTLs (beyond 2^31 ms, up to Number.MAX_SAFE_INTEGER) keep the key alive',
    async ({ backend }) => {
      for (const [i, ttl] of LONG_TTLS.entries()) {
        await backend.set(`set${i}`, 'v', { ttl });
        assert.equal(await backend.checkAndSet(`cas${i}`, null, 'v', { ttl }), true);
        await backend.set(`replaced${i}`, 'v');
        assert.equal(await backend.checkAndSet(`replaced${i}`, 'v', 'w', { ttl }), true);
      }
      await sleep(50);
      for (const [i, ttl] of LONG_TTLS.entries()) {
        await expectStored(backend, `set${i}`, 'v', `set with ttl ${ttl}`);
        await expectStored(backend, `cas${i}`, 'v', `checkAndSet(null) with ttl ${ttl}`);
        await expectStored(backend, `replaced${i}`, 'w', `checkAndSet(old) with ttl ${ttl}`);
      }
    },
  );
}
