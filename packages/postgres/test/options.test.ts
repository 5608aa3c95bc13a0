import { isKVError, type KVErrorCode } from '@strongbox/core';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, type PostgresBackendOptions } from '../src/index.js';
import { adminClient, sharedUrl, uniqueTable } from './support/shared-server.js';

async function rejection(options: unknown): Promise<unknown> {
  return createPostgresBackend(options as PostgresBackendOptions).then(
    async (backend) => {
      await backend.close();
      throw new Error('the factory resolved');
    },
    (error: unknown) => error,
  );
}

async function expectCode(options: unknown, code: KVErrorCode, detail?: RegExp): Promise<void> {
  const error = await rejection(options);
  expect(isKVError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
  if (detail) expect((error as Error).message).toMatch(detail);
}

describe('createPostgresBackend options', () => {
  const url = 'postgres://app:hunter2@127.0.0.1:1/db';

  it('needs exactly one of url and sql', async () => {
    await expectCode(undefined, 'INVALID_CONFIG');
    await expectCode({}, 'INVALID_CONFIG', /url.*sql/);
    const sql = postgres(url);
    await expectCode({ url, sql }, 'INVALID_CONFIG', /not both/);
    await sql.end();
  });

  it('rejects unparsable URLs as INVALID_CONN_STRING without echoing them', async () => {
    for (const bad of [
      42,
      '',
      'mysql://app:hunter2@h/db',
      'app:hunter2@h',
      'postgres://app:hunter2@[::1/db',
    ]) {
      const error = await rejection({ url: bad });
      expect(isKVError(error, 'INVALID_CONN_STRING'), String(bad)).toBe(true);
      expect(String((error as Error).stack)).not.toContain('hunter2');
    }
  });

  it('rejects bad pool sizes as INVALID_POOL_CONFIG', async () => {
    for (const pool of [
      { max: -1 },
      { max: 1.5 },
      { max: '10' },
      { minConnections: -1 },
      { max: 2, minConnections: 3 },
      { minConnections: 11 }, // above the default max of 10
    ]) {
      await expectCode({ url, ...pool }, 'INVALID_POOL_CONFIG');
    }
  });

  it('rejects other bad values as INVALID_CONFIG', async () => {
    for (const bad of [
      { unknownOption: 1 },
      { operationTimeout: 0 },
      { operationTimeout: Number.POSITIVE_INFINITY },
      { purgeInterval: -1 },
      { purgeInterval: 2 ** 31 },
      { connectTimeout: 0 },
      { onError: 'log' },
      { unlogged: 'yes' },
      { createTable: 1 },
      { combine: 'off' },
      { connectionErrorPatterns: 'refused' },
      { connectionErrorPatterns: [1] },
      { ssl: 'sometimes' },
      { prepare: 'no' },
      { applicationName: 7 },
    ]) {
      await expectCode({ url, ...bad }, 'INVALID_CONFIG');
    }
  });

  it('validates table and schema names, including the 63-byte limit of the derived index name', async () => {
    const injections = [
      'kv; DROP TABLE users',
      'kv"; DROP TABLE users; --',
      "kv' OR '1'='1",
      'public.kv',
      'kv ',
      '1kv',
      '',
      'ключ',
      'kv\0',
    ];
    for (const name of injections) {
      await expectCode({ url, table: name }, 'INVALID_CONFIG');
      await expectCode({ url, schema: name }, 'INVALID_CONFIG');
    }
    await expectCode({ url, table: 7 }, 'INVALID_CONFIG');
    await expectCode({ url, table: 'k'.repeat(49) }, 'INVALID_CONFIG', /_expires_at_idx/);
    await expectCode({ url, schema: 's'.repeat(64) }, 'INVALID_CONFIG', /63/);
  });

  it('with sql, rejects options of the client it would build and transaction or reserved clients', async () => {
    const sql = postgres(url);
    try {
      for (const own of [{ max: 5 }, { minConnections: 1 }, { ssl: true }, { prepare: false }]) {
        await expectCode({ sql, ...own }, 'INVALID_CONFIG', /your `sql` client/);
      }
      await expectCode({ sql: {} }, 'INVALID_CONFIG');
      const unpipelined = postgres(url, { max_pipeline: 0 } as postgres.Options<
        Record<string, never>
      >);
      await expectCode({ sql: unpipelined }, 'INVALID_CONFIG', /max_pipeline/);
      await unpipelined.end();
      await expectCode({ sql: Object.assign(() => undefined, { unsafe() {} }) }, 'INVALID_CONFIG');
    } finally {
      await sql.end();
    }
  });

  describe('against the shared server', () => {
    const admin = adminClient();
    afterAll(() => admin.end());

    it('rejects a transaction or a reserved connection given as sql', async () => {
      const sql = postgres(sharedUrl(), { max: 2, onnotice: () => undefined });
      try {
        const reserved = await sql.reserve();
        await expectCode({ sql: reserved }, 'INVALID_CONFIG', /pool-level/);
        reserved.release();
        await sql.begin(async (tx) => {
          await expectCode({ sql: tx }, 'INVALID_CONFIG', /pool-level/);
        });
      } finally {
        await sql.end();
      }
    });

    it('bad options fail before any I/O: a given client never connects', async () => {
      const applicationName = uniqueTable('never_connects');
      const sql = postgres(sharedUrl(), { connection: { application_name: applicationName } });
      try {
        await expectCode({ sql, table: 'kv; DROP TABLE x' }, 'INVALID_CONFIG');
        await expectCode({ sql, schema: 'a"b' }, 'INVALID_CONFIG');
        await expectCode({ sql, purgeInterval: -5 }, 'INVALID_CONFIG');
        const seen =
          await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${applicationName}`;
        expect(seen[0]?.n).toBe(0);
        await expectCode({ sql, table: uniqueTable(), createTable: false }, 'TABLE_QUERY_FAILED');
        const after =
          await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${applicationName}`;
        expect(after[0]?.n).toBe(1); // the control: a valid configuration does connect
      } finally {
        await sql.end();
      }
    });
  });
});
