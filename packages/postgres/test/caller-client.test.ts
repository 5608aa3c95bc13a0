import { isKVError } from '@strongbox/core';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';
import { dropTable, sharedUrl, uniqueTable } from './support/shared-server.js';

/** Client options that change how results and parameters look; the adapter must not care. */
const CLIENT_VARIANTS: Array<[string, postgres.Options<Record<string, postgres.PostgresType>>]> = [
  ['transform: postgres.camel', { transform: postgres.camel }],
  ['transform: postgres.pascal', { transform: postgres.pascal }],
  ['transform: postgres.kebab', { transform: postgres.kebab }],
  ['transform: { undefined: null }', { transform: { undefined: null } }],
  [
    'a value transform',
    {
      transform: {
        value: { from: (value: unknown) => (typeof value === 'string' ? `!${value}` : value) },
      },
    },
  ],
  [
    'custom types: postgres.BigInt and odd parsers for bytea, text and bool',
    {
      types: {
        bigint: postgres.BigInt,
        bytes: { to: 17, from: [17], serialize: (x: unknown) => x, parse: () => 'parsed' },
        text: { to: 25, from: [25], serialize: (x: unknown) => String(x), parse: () => 'parsed' },
        bool: { to: 16, from: [16], serialize: (x: unknown) => (x ? 't' : 'f'), parse: () => 2 },
      },
    },
  ],
  ['prepare: false (PgBouncer transaction mode)', { prepare: false }],
  ['max_pipeline left at its default', {}],
];

describe("a caller's sql client", () => {
  it.each(CLIENT_VARIANTS)('works unchanged with %s', async (_, options) => {
    const sql = postgres(sharedUrl(), { ...options, max: 3, onnotice: () => undefined });
    const backend = await createPostgresBackend({
      sql,
      table: uniqueTable('caller'),
      purgeInterval: 0,
    });
    try {
      expect(backend.sql).toBe(sql);
      await backend.set('k', 'a\0b', { ttl: 60_000 });
      expect(await backend.get('k')).toBe('a\0b');
      expect(await backend.checkAndSet('k', 'a\0b', 'c', { keepTtl: true })).toBe(true);
      expect(await backend.checkAndSet('k', 'nope', 'd')).toBe(false);
      expect(await backend.checkAndSet('new', null, 'n')).toBe(true);
      expect(await backend.checkAndDelete('k', 'c')).toBe(true);
      expect(await backend.delete('new')).toBe(true);
      expect(await backend.delete('new')).toBe(false);
      expect(await backend.get('k')).toBeNull();
      expect(await backend.purgeExpired()).toBe(0);
      await backend.ping();
      // increment's parameters and its [value, ttl] row, whatever the client's settings.
      const created = await backend.increment('n', 5, { ttl: 60_000 });
      expect(created.value).toBe(5);
      expect(created.ttl).toBeGreaterThan(50_000);
      expect(await backend.increment('n', -(2 ** 53 - 1))).toMatchObject({ value: 6 - 2 ** 53 });
      await expect(backend.increment('n', -6)).rejects.toMatchObject({ code: 'COUNTER_OVERFLOW' });
      await backend.set('t', 'text');
      await expect(backend.increment('t')).rejects.toMatchObject({ code: 'NOT_A_COUNTER' });
    } finally {
      await backend.close();
      await dropTable(backend.table);
      await sql.end();
    }
  });

  it('is left open by close() unless closeClient is true', async () => {
    const sql = postgres(sharedUrl(), { max: 2 });
    const table = uniqueTable('caller');
    try {
      const kept = await createPostgresBackend({ sql, table, purgeInterval: 0 });
      await kept.close();
      expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      const closing = await createPostgresBackend({
        sql,
        table,
        purgeInterval: 0,
        closeClient: true,
      });
      await closing.close();
      const error = await sql`SELECT 1`.catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('CONNECTION_ENDED');
    } finally {
      await dropTable(`"public"."${table}"`);
      await sql.end();
    }
  });

  it('a client that cannot connect fails the factory with PING_FAILED (unhealthy) and stays open', async () => {
    const sql = postgres('postgres://nobody@127.0.0.1:1/none', { connect_timeout: 1 });
    try {
      const error = await createPostgresBackend({ sql }).catch((e: unknown) => e);
      expect(isKVError(error, 'PING_FAILED')).toBe(true);
      expect((error as { unhealthy: boolean }).unhealthy).toBe(true);
      const again = await sql`SELECT 1`.catch((e: unknown) => e);
      expect((again as { code?: string }).code).toBe('ECONNREFUSED'); // not CONNECTION_ENDED
    } finally {
      await sql.end();
    }
  });
});
