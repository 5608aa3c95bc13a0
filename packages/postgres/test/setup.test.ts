import { isKVError, type KVError } from '@strongbox/core';
import { waitUntil } from '@strongbox/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';
import { adminClient, dropTable, sharedUrl, uniqueTable } from './support/shared-server.js';

describe('postgres table setup', () => {
  const admin = adminClient();
  const tables: string[] = [];
  beforeAll(async () => {
    // Case-insensitive: 'lease' and 'Lease' would be one key.
    await admin.unsafe(
      `CREATE COLLATION IF NOT EXISTS public.strongbox_test_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
    );
  });
  afterAll(async () => {
    for (const table of tables) await dropTable(`"public"."${table}"`);
    await admin.end();
  });

  /** A table name that is dropped after the tests. */
  function newTable(): string {
    const table = uniqueTable('setup');
    tables.push(table);
    return table;
  }

  async function connectionsOf(applicationName: string): Promise<number> {
    const [row] =
      await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${applicationName}`;
    return row?.n as number;
  }

  /** The server notices closed connections a moment after the client closed them. */
  async function expectNoConnections(applicationName: string): Promise<void> {
    await waitUntil(
      `the connections of ${applicationName} to end`,
      async () => (await connectionsOf(applicationName)) === 0,
    );
  }

  async function factoryError(options: object): Promise<KVError> {
    const error = await createPostgresBackend({
      url: sharedUrl(),
      purgeInterval: 0,
      ...options,
    }).then(
      async (backend) => {
        await backend.close();
        throw new Error('the factory resolved');
      },
      (e: unknown) => e,
    );
    if (!isKVError(error)) throw error;
    return error;
  }

  it('creates the table with a primary key and a partial expiry index, and a fleet starting at once agrees', async () => {
    const table = newTable();
    const fleet = await Promise.all(
      Array.from({ length: 8 }, () =>
        createPostgresBackend({
          url: sharedUrl(),
          table,
          schema: 'public',
          purgeInterval: 0,
          minConnections: 1,
        }),
      ),
    );
    await fleet[0]?.set('k', 'v');
    expect(await fleet[7]?.get('k')).toBe('v');
    await Promise.all(fleet.map((backend) => backend.close()));
    const indexes =
      await admin`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ${table} ORDER BY indexname`;
    expect(indexes.map((index) => index.indexname)).toEqual([
      `${table}_expires_at_idx`,
      `${table}_pkey`,
    ]);
    expect(indexes[0]?.indexdef).toMatch(/\(expires_at\) WHERE \(expires_at IS NOT NULL\)/);
    const [kind] =
      await admin`SELECT relpersistence FROM pg_class WHERE oid = ${`public.${table}`}::regclass`;
    expect(kind?.relpersistence).toBe('p');
  });

  it('unlogged: true creates an UNLOGGED table', async () => {
    const table = newTable();
    const backend = await createPostgresBackend({
      url: sharedUrl(),
      table,
      unlogged: true,
      purgeInterval: 0,
    });
    await backend.close();
    const [kind] =
      await admin`SELECT relpersistence FROM pg_class WHERE oid = ${`public.${table}`}::regclass`;
    expect(kind?.relpersistence).toBe('u');
  });

  it('uses an existing table as it is and adds only the missing index', async () => {
    const table = newTable();
    await admin.unsafe(
      `CREATE TABLE public.${table} (key text PRIMARY KEY, value bytea NOT NULL, expires_at timestamptz, note text DEFAULT 'x')`,
    );
    await admin.unsafe(
      `INSERT INTO public.${table} (key, value) VALUES ('kept', convert_to('old', 'UTF8'))`,
    );
    const backend = await createPostgresBackend({ url: sharedUrl(), table, purgeInterval: 0 });
    expect(await backend.get('kept')).toBe('old');
    await backend.close();
    const indexes =
      await admin`SELECT indexname FROM pg_indexes WHERE tablename = ${table} ORDER BY indexname`;
    expect(indexes.map((index) => index.indexname)).toEqual([
      `${table}_expires_at_idx`,
      `${table}_pkey`,
    ]);
  });

  it('an existing table without the expiry index is enough for a role that may not create one', async () => {
    const table = newTable();
    const role = uniqueTable('limited');
    await admin.unsafe(
      `CREATE TABLE public.${table} (key text COLLATE "C" PRIMARY KEY, value bytea NOT NULL, expires_at timestamptz)`,
    );
    await admin.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD 'limited-pass'`);
    try {
      await admin.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON public.${table} TO ${role}`);
      const url = new URL(sharedUrl());
      url.username = role;
      url.password = 'limited-pass';
      const backend = await createPostgresBackend({ url: url.href, table, purgeInterval: 0 });
      await backend.set('k', 'v', { ttl: 60_000 });
      expect(await backend.get('k')).toBe('v');
      expect(await backend.purgeExpired()).toBe(0);
      await backend.close();
      const indexes = await admin`SELECT indexname FROM pg_indexes WHERE tablename = ${table}`;
      expect(indexes.map((index) => index.indexname)).toEqual([`${table}_pkey`]);
    } finally {
      await admin.unsafe(`DROP TABLE IF EXISTS public.${table}`);
      await admin.unsafe(`DROP ROLE ${role}`);
    }
  });

  it('createTable: false with a missing table is TABLE_QUERY_FAILED and creates nothing', async () => {
    const table = newTable();
    const error = await factoryError({ table, createTable: false });
    expect(error.code).toBe('TABLE_QUERY_FAILED');
    expect(error.unhealthy).toBe(false);
    expect(error.message).toContain('createTable is false');
    const [found] = await admin`SELECT to_regclass(${`public.${table}`}) AS oid`;
    expect(found?.oid).toBeNull();
  });

  it.each([
    ['a missing column', 'key text PRIMARY KEY, value bytea NOT NULL', /no column expires_at/],
    [
      'a wrong type',
      'key text PRIMARY KEY, value text NOT NULL, expires_at timestamptz',
      /value is text, expected bytea/,
    ],
    [
      'a key without a unique index',
      'key text, value bytea, expires_at timestamptz',
      /no unique index/,
    ],
    [
      'an extra NOT NULL column',
      'key text PRIMARY KEY, value bytea, expires_at timestamptz, owner text NOT NULL',
      /owner is NOT NULL/,
    ],
    [
      'a key with a nondeterministic collation',
      'key text COLLATE strongbox_test_ci PRIMARY KEY, value bytea, expires_at timestamptz',
      /column key has the nondeterministic collation "strongbox_test_ci"/,
    ],
    [
      'an expiry without time zone',
      'key text PRIMARY KEY, value bytea, expires_at timestamp',
      /expires_at is timestamp without time zone/,
    ],
  ])(
    'an existing table with %s is a clear TABLE_QUERY_FAILED, and the factory closes its connections',
    async (_, columns, problem) => {
      const table = newTable();
      await admin.unsafe(`CREATE TABLE public.${table} (${columns})`);
      const applicationName = uniqueTable('wrong_shape');
      const error = await factoryError({ table, applicationName, minConnections: 3 });
      expect(error.code).toBe('TABLE_QUERY_FAILED');
      expect(error.message).toMatch(problem);
      await expectNoConnections(applicationName);
    },
  );

  it('resolves the default schema from the server and quotes mixed-case names', async () => {
    const table = newTable().replace('setup', 'Setup');
    tables.push(table);
    const backend = await createPostgresBackend({ url: sharedUrl(), table, purgeInterval: 0 });
    expect(backend.table).toBe(`"public"."${table}"`);
    await backend.set('k', 'v');
    const [row] = await admin.unsafe(`SELECT count(*)::int AS n FROM public."${table}"`);
    expect(row?.n).toBe(1);
    await backend.close();
  });

  it('opens minConnections connections up front and closes them on close()', async () => {
    const applicationName = uniqueTable('warm');
    const table = newTable();
    const backend = await createPostgresBackend({
      url: sharedUrl(),
      table,
      applicationName,
      minConnections: 3,
      purgeInterval: 0,
    });
    expect(await connectionsOf(applicationName)).toBe(3);
    await backend.close();
    await expectNoConnections(applicationName);
  });
});
