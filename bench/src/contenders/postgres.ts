import KeyvPostgres from '@keyv/postgres';
import { createPostgresBackend } from '@strongbox/postgres';
import * as postgresInternals from '@strongbox/postgres/internal';
import Keyv from 'keyv';
import postgres from 'postgres';
import { ALL_OPS, type Contender, KEYV_OPS, noCheckAndSet, type OpName } from '../contender.js';
import { inChunks } from './chunks.js';
import { strongboxContender } from './strongbox.js';

type Sql = postgres.Sql<Record<string, never>>;

/**
 * The adapter's own pieces the raw baselines reuse, so they send exactly its SQL (the
 * package's documented-unstable `internal` entry point).
 */
type PostgresInternals = typeof postgresInternals;

/** Ops the max_pipeline-1 baseline runs: the ones its target (CAS) and the headline numbers need. */
const PIPELINED_OPS: ReadonlySet<OpName> = new Set(['get-hit', 'set', 'cas']);
/** Rows per seeding statement. */
const SEED_BATCH = 10_000;

/**
 * Strongbox's Postgres adapter and its baselines on one server, each in its own table: raw
 * porsager with the adapter's exact driver options and statements; the same tuned for
 * pipelining (`max_pipeline: 1`, the steady-throughput setting of TOOLING.md); and Keyv with
 * @keyv/postgres (pg, pool of 10).
 */
export async function postgresContenders(url: string): Promise<Contender[]> {
  return withBulkClient(url, async (internals, bulk) => {
    const adapterOptions = internals.driverOptions(
      internals.resolvePostgresOptions({ url }).client,
    ) as postgres.Options<Record<string, never>> & { max_pipeline?: number };
    const pipelined = { ...adapterOptions, max_pipeline: 1 };
    return [
      await strongboxPostgres(url, 'bench_strongbox', internals, bulk),
      await rawPorsager(url, 'bench_raw', adapterOptions, internals, bulk, {
        kind: 'raw',
        description: `porsager with the adapter driver options (max ${adapterOptions.max}, max_pipeline ${adapterOptions.max_pipeline}), its statements, prepared`,
        ops: ALL_OPS,
      }),
      // The CAS target's reference; the same client as \`raw\` when the adapter pipelines alike.
      ...(adapterOptions.max_pipeline === 1
        ? []
        : [
            await rawPorsager(url, 'bench_raw_pipelined', pipelined, internals, bulk, {
              kind: 'raw-pipelined',
              description: 'the same with max_pipeline 1 (two statements in flight per connection)',
              ops: PIPELINED_OPS,
            }),
          ]),
      await keyvPostgres(url, bulk),
    ];
  });
}

/**
 * A fresh client for the sustained run: the adapter with its defaults, or porsager with its
 * stock options (max 10, default pipelining) sending the adapter's statements.
 */
export async function sustainedContender(
  url: string,
  client: 'strongbox' | 'stock',
): Promise<Contender> {
  const [contender] = await withBulkClient(url, async (internals, bulk) => [
    client === 'strongbox'
      ? await strongboxPostgres(url, 'bench_sustained_strongbox', internals, bulk)
      : await rawPorsager(
          url,
          'bench_sustained_raw',
          { max: 10, onnotice: () => undefined },
          internals,
          bulk,
          {
            kind: 'raw',
            description:
              'porsager with its stock options (max 10, max_pipeline 100), the adapter statements',
            ops: ALL_OPS,
          },
        ),
  ]);
  return contender as Contender;
}

/** Build contenders sharing one small bulk client for seeding, which the last one closes. */
async function withBulkClient(
  url: string,
  build: (internals: PostgresInternals, bulk: Sql) => Promise<Contender[]>,
): Promise<Contender[]> {
  const internals = postgresInternals;
  const bulk = postgres(url, { max: 2, onnotice: () => undefined });
  const contenders = await build(internals, bulk);
  const last = contenders[contenders.length - 1] as Contender;
  const closeLast = last.close;
  last.close = async () => {
    await closeLast();
    await bulk.end();
  };
  return contenders;
}

async function strongboxPostgres(
  url: string,
  table: string,
  internals: PostgresInternals,
  bulk: Sql,
): Promise<Contender> {
  const backend = await createPostgresBackend({ url, table });
  return strongboxContender(
    backend,
    'createPostgresBackend() defaults (pool 10, logged table)',
    bulkOn(bulk, backend.table, internals),
  );
}

/** Seed and unseed rows of an adapter-shaped table straight through SQL. */
function bulkOn(
  bulk: Sql,
  table: string,
  internals: PostgresInternals,
): Pick<Contender, 'seed' | 'unseed'> {
  return {
    seed: (keys, value) =>
      inChunks(keys, SEED_BATCH, (chunk) =>
        bulk.unsafe(
          `INSERT INTO ${table} (key, value, expires_at)
           SELECT k, decode($2, 'hex'), NULL FROM unnest($1::text[]) AS k
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = NULL`,
          [chunk as string[], internals.encodeValue(value)],
        ),
      ),
    unseed: (keys) =>
      inChunks(keys, SEED_BATCH, (chunk) =>
        bulk.unsafe(`DELETE FROM ${table} WHERE key = ANY($1::text[])`, [chunk as string[]]),
      ),
  };
}

/**
 * porsager sending the adapter's statements itself: same parameters (values as hex), named
 * prepared statements, result rows read raw. Its table is created by the adapter's own setup.
 */
async function rawPorsager(
  url: string,
  table: string,
  options: postgres.Options<Record<string, never>>,
  internals: PostgresInternals,
  bulk: Sql,
  identity: Pick<Contender, 'kind' | 'description' | 'ops'>,
): Promise<Contender> {
  const setup = await createPostgresBackend({ url, table, purgeInterval: 0 });
  const qualified = setup.table;
  await setup.close();
  const statements = internals.statementsFor({ table: qualified });
  const { encodeValue, decodeValue } = internals;
  const sql = postgres(url, options);
  const prepared = { prepare: true };
  const count = async (text: string, params: unknown[]) =>
    (await sql.unsafe(text, params as never[], prepared).raw()).count;
  return {
    ...identity,
    get: async (key) => {
      const [row] = await sql.unsafe(statements.get, [key], prepared).raw();
      const hex = row?.[0] as Buffer | undefined;
      return hex === undefined ? null : decodeValue(hex);
    },
    set: (key, value, ttlMs) =>
      count(statements.set, [key, encodeValue(value), ttlMs ?? null, false]),
    checkAndSet: async (key, expected, next) =>
      (expected === null
        ? await count(statements.setIfAbsent, [key, encodeValue(next), null])
        : await count(statements.setIfEqual, [
            key,
            encodeValue(next),
            null,
            false,
            encodeValue(expected),
          ])) === 1,
    delete: async (key) => (await count(statements.delete, [key])) === 1,
    ...bulkOn(bulk, qualified, internals),
    close: () => sql.end(),
  };
}

/** Keyv 5 with @keyv/postgres 2 (pg pool of 10), its own table, errors thrown. */
async function keyvPostgres(url: string, bulk: Sql): Promise<Contender> {
  const store = new KeyvPostgres({ uri: url, table: 'keyv_bench' });
  const keyv = new Keyv({ store, throwOnErrors: true });
  await keyv.set('seed-template', ''); // creates the table before anything is timed
  const rawKey = (key: string) => `keyv:${key}`;
  return {
    kind: 'keyv',
    description: 'Keyv 5 + @keyv/postgres 2 (pg, pool of 10), table keyv_bench',
    ops: KEYV_OPS,
    get: (key) => keyv.get(key),
    set: (key, value, ttlMs) => keyv.set(key, value, ttlMs),
    checkAndSet: noCheckAndSet,
    delete: (key) => keyv.delete(key),
    seed: async (keys, value) => {
      await keyv.set('seed-template', value);
      const [template] = await bulk.unsafe('SELECT value FROM keyv_bench WHERE key = $1', [
        rawKey('seed-template'),
      ]);
      if (template === undefined)
        throw new Error('keyv did not store its row at key "keyv:seed-template"');
      await inChunks(keys, SEED_BATCH, (chunk) =>
        bulk.unsafe(
          `INSERT INTO keyv_bench (key, value) SELECT k, $2 FROM unnest($1::text[]) AS k
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [chunk.map(rawKey), template.value as string],
        ),
      );
    },
    unseed: (keys) =>
      inChunks(keys, SEED_BATCH, (chunk) =>
        bulk.unsafe('DELETE FROM keyv_bench WHERE key = ANY($1::text[])', [chunk.map(rawKey)]),
      ),
    close: () => keyv.disconnect(),
  };
}
