import { isKVError, type KVError } from '@strongbox/core';
import { waitUntil } from '@strongbox/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { adminClient, freshBackend } from './support/shared-server.js';

describe('postgres purge', () => {
  const admin = adminClient();
  let backend: PostgresBackend;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ backend, dispose } = await freshBackend());
  });
  afterAll(async () => {
    await dispose();
    await admin.end();
  });

  /** Insert `count` rows named `prefix<i>` that expired `ago` before now (negative: in the future). */
  async function plant(table: string, prefix: string, count: number, ago = '1 minute') {
    await admin.unsafe(
      `INSERT INTO ${table} (key, value, expires_at)
       SELECT $1 || g, '\\x00'::bytea, clock_timestamp() - $2::interval FROM generate_series(1, $3::int) g`,
      [prefix, ago, count],
    );
  }

  async function rowCount(table: string, prefix: string): Promise<number> {
    const [row] = await admin.unsafe(
      `SELECT count(*)::int AS n FROM ${table} WHERE starts_with(key, $1)`,
      [prefix],
    );
    return row?.n as number;
  }

  it('deletes only expired rows, at most batchSize per call, and counts them', async () => {
    await plant(backend.table, 'old', 25);
    await plant(backend.table, 'future', 5, '-1 hour');
    await backend.set('forever', 'v');
    expect(await backend.purgeExpired(10)).toBe(10);
    expect(await backend.purgeExpired(10)).toBe(10);
    expect(await backend.purgeExpired()).toBe(5);
    expect(await backend.purgeExpired()).toBe(0);
    expect(await rowCount(backend.table, 'old')).toBe(0);
    expect(await rowCount(backend.table, 'future')).toBe(5);
    expect(await backend.get('forever')).toBe('v');
  });

  it('options that throw when read reject INVALID_CONFIG, never synchronously', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = backend.purgeExpired(10, proxy);
    }).not.toThrow();
    const error = await (pending as Promise<unknown>).catch((e: unknown) => e);
    expect(isKVError(error) && (error as KVError).code).toBe('INVALID_CONFIG');
  });

  it('never removes a key that a concurrent checkAndSet re-created (purge racing CAS)', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `race${i}`);
    let purging = true;
    let purged = 0;
    const purger = (async () => {
      while (purging) purged += await backend.purgeExpired(5);
    })();
    try {
      for (let round = 0; round < 15; round++) {
        await Promise.all(keys.map((key) => backend.set(key, 'dying', { ttl: 1 })));
        await new Promise((resolve) => setTimeout(resolve, 5));
        // Each key is expired now; re-create it while purges run, then it must stay.
        const won = await Promise.all(
          keys.map((key) => backend.checkAndSet(key, null, `live${round}`, { ttl: 60_000 })),
        );
        expect(won.every(Boolean)).toBe(true);
        const values = await Promise.all(keys.map((key) => backend.get(key)));
        expect(values).toEqual(keys.map(() => `live${round}`));
        await Promise.all(keys.map((key) => backend.delete(key)));
      }
    } finally {
      purging = false;
      await purger;
    }
    expect(purged).toBeGreaterThan(0); // the race did happen
  });

  it('never removes a row another transaction makes live while the purge runs (row lock held at the right moment)', async () => {
    await backend.set('revived', 'dying', { ttl: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10)); // expired now, not purged
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Another session revives the expired row and keeps it locked until told to commit.
    const reviving = admin.begin(async (tx) => {
      await tx.unsafe(
        `UPDATE ${backend.table} SET value = convert_to('live', 'UTF8'), expires_at = clock_timestamp() + interval '1 hour' WHERE key = 'revived'`,
      );
      locked();
      await committed;
    });
    await isLocked;
    const purge = backend.purgeExpired();
    // A purge that waits for the lock (instead of skipping the row) must see the revived row
    // once the lock is released; a correct one skips the locked row and is done.
    await Promise.race([
      purge,
      waitUntil('the purge to wait for the row lock', async () => {
        const [row] = await admin.unsafe(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND query LIKE '%expired AS%' AND query LIKE $1`,
          [`%${backend.table}%`],
        );
        return row?.n === 1;
      }),
    ]);
    commit();
    await reviving;
    await purge;
    expect(await backend.get('revived')).toBe('live');
    await backend.delete('revived');
  });

  it('purges in the background every purgeInterval, reports failures to onError, and stops on close', async () => {
    const errors: KVError[] = [];
    const { backend: purging, dispose: disposePurging } = await freshBackend({
      purgeInterval: 50,
      onError: (error) => errors.push(error),
    });
    try {
      await plant(purging.table, 'bg', 2500); // more than one batch: drained in one tick
      await waitUntil(
        'the background purge',
        async () => (await rowCount(purging.table, 'bg')) === 0,
      );

      // Move the table away: every purge now fails, and the backend must say so.
      const [schema, name] = purging.table.split('.') as [string, string];
      const moved = `${name.slice(0, -1)}_moved"`;
      await admin.unsafe(`ALTER TABLE ${purging.table} RENAME TO ${moved}`);
      await waitUntil('a purge failure', async () => errors.length > 0);
      await admin.unsafe(`ALTER TABLE ${schema}.${moved} RENAME TO ${name}`);
      expect(isKVError(errors[0], 'PURGE_FAILED')).toBe(true);
      expect(errors[0]?.op).toBe('purge');
      expect(errors[0]?.unhealthy).toBe(false);
      expect(errors[0]?.indeterminate).toBe(false); // the server rejected the statement: nothing applied

      await purging.close();
      const reported = errors.length;
      await plant(purging.table, 'after', 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await rowCount(purging.table, 'after')).toBe(3);
      expect(errors.length).toBe(reported);
    } finally {
      await disposePurging();
    }
  });
});
