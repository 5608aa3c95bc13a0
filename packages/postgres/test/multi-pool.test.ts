import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, type PostgresBackend } from '../src/index.js';
import { adminClient, dropTable, sharedUrl, uniqueTable } from './support/shared-server.js';

const POOLS = 4;

describe('several pools on one table', () => {
  const admin = adminClient();
  const table = uniqueTable('pools');
  let pools: PostgresBackend[];

  beforeAll(async () => {
    pools = [];
    for (let i = 0; i < POOLS; i++) {
      pools.push(
        await createPostgresBackend({ url: sharedUrl(), table, max: 4, purgeInterval: 0 }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await dropTable(pools[0]?.table ?? `"public"."${table}"`);
    await admin.end();
  });

  it('CAS increments from every pool lose no update', async () => {
    const perWorker = 15;
    const workersPerPool = 4;
    const increment = async (pool: PostgresBackend) => {
      for (let done = 0; done < perWorker; ) {
        const current = await pool.get('counter');
        const next = String(Number(current ?? '0') + 1);
        if (await pool.checkAndSet('counter', current, next)) done++;
      }
    };
    await Promise.all(
      pools.flatMap((pool) => Array.from({ length: workersPerPool }, () => increment(pool))),
    );
    expect(await pools[0]?.get('counter')).toBe(String(POOLS * workersPerPool * perWorker));
  });

  it('concurrent purgeExpired calls from every pool delete each expired row exactly once', async () => {
    const expired = 3000;
    await admin.unsafe(
      `INSERT INTO ${pools[0]?.table} (key, value, expires_at)
       SELECT 'dead' || g, '\\x00'::bytea, clock_timestamp() - interval '1 minute'
       FROM generate_series(1, ${expired}) g`,
    );
    const drain = async (pool: PostgresBackend) => {
      let total = 0;
      for (;;) {
        const deleted = await pool.purgeExpired(100);
        if (deleted === 0) return total;
        total += deleted;
      }
    };
    const counts = await Promise.all(pools.flatMap((pool) => [drain(pool), drain(pool)]));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(expired);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1); // the work was shared
  });
});
