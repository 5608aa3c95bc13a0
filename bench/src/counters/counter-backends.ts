import type { KVBackend } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { createPostgresBackend } from '@strongbox/postgres';
import { driverOptions, resolvePostgresOptions, statementsFor } from '@strongbox/postgres/internal';
import { createRedisBackend } from '@strongbox/redis';
import { INCREMENT } from '@strongbox/redis/internal';
import { Redis } from 'ioredis';
import pg from 'pg';
import postgres from 'postgres';
import { startCountingProxy } from '../round-trips/counting-proxy.js';
import { countPostgresRoundTrips } from '../round-trips/postgres-messages.js';
import { countRedisCommands } from '../round-trips/redis-commands.js';
import { startBenchPostgres } from '../servers/postgres-server.js';
import { startBenchRedis } from '../servers/redis-servers.js';
import { type CounterContender, type CounterScenario, WINDOW_MS } from './counter-contender.js';
import { rlfMemory, rlfPostgres, rlfRedis } from './rate-limiter-flexible.js';
import { casLoopGcra, strongboxCounter } from './strongbox-counters.js';

export type CounterBackendName = 'memory' | 'redis' | 'postgres';
export const COUNTER_BACKENDS: readonly CounterBackendName[] = ['memory', 'redis', 'postgres'];

/** Connections of every networked contender: the adapters' default pool. */
const POOL = 10;

/** Everything one backend's cells are measured on. */
export interface CounterSetup {
  /** The contenders of `scenario`, Strongbox first. */
  contenders(scenario: CounterScenario): CounterContender[];
  close(): Promise<void>;
}

/** The server(s) of a backend, started once for all its cells. */
export interface CounterServer {
  /** Contenders talking to the server directly, or through a request-counting proxy. */
  connect(options?: { counted?: boolean }): Promise<CounterSetup & { requests(): number }>;
  stop(): Promise<void>;
}

export async function startCounterServer(name: CounterBackendName): Promise<CounterServer> {
  switch (name) {
    case 'memory':
      return {
        connect: async () => connected(await memorySetup(), () => 0),
        stop: async () => {},
      };
    case 'redis': {
      const server = await startBenchRedis('single');
      const [node] = server.nodes;
      if (node === undefined) throw new Error('no Redis node');
      return {
        async connect(options) {
          if (!options?.counted) return connected(await redisSetup(node), () => 0);
          const proxy = await startCountingProxy(node, countRedisCommands);
          const setup = await redisSetup(proxy);
          return connected(
            setup,
            () => proxy.count,
            () => proxy.close(),
          );
        },
        stop: server.stop,
      };
    }
    case 'postgres': {
      const server = await startBenchPostgres();
      return {
        async connect(options) {
          if (!options?.counted) return connected(await postgresSetup(server.url), () => 0);
          const { hostname, port } = new URL(server.url);
          const proxy = await startCountingProxy(
            { host: hostname, port: Number(port) },
            countPostgresRoundTrips,
          );
          const proxied = new URL(server.url);
          proxied.host = `${proxy.host}:${proxy.port}`;
          const setup = await postgresSetup(proxied.href);
          return connected(
            setup,
            () => proxy.count,
            () => proxy.close(),
          );
        },
        stop: server.stop,
      };
    }
  }
}

function connected(
  setup: CounterSetup,
  requests: () => number,
  after: () => Promise<void> = async () => {},
): CounterSetup & { requests(): number } {
  return {
    contenders: (scenario) => setup.contenders(scenario),
    requests,
    async close() {
      await setup.close();
      await after();
    },
  };
}

/**
 * The contenders of a scenario on one backend: Strongbox (combining on), Strongbox with
 * `combine: false` for the increment-based scenarios, the raw driver for `increment`,
 * rate-limiter-flexible's fixed window for every limiter scenario (it has no other strategy
 * on these stores), and for GCRA also the get + checkAndSet loop it replaces.
 */
function contendersOf(
  scenario: CounterScenario,
  combined: KVBackend,
  uncombined: KVBackend,
  description: string,
  raw: CounterContender | undefined,
  rlf: CounterContender,
): CounterContender[] {
  const strongbox = strongboxCounter(combined, scenario, 'strongbox', description);
  const list = [strongbox];
  if (scenario === 'increment' || scenario === 'fixed-window') {
    list.push(
      strongboxCounter(
        uncombined,
        scenario,
        'strongbox-uncombined',
        `${description}, combine: false`,
      ),
    );
  }
  if (scenario === 'increment') {
    if (raw !== undefined) list.push(raw);
  } else list.push(rlf);
  if (scenario === 'gcra') list.push(casLoopGcra(combined));
  return list;
}

async function memorySetup(): Promise<CounterSetup> {
  const combined = await createMemoryBackend();
  const uncombined = await createMemoryBackend({ combine: false });
  const rlf = rlfMemory();
  return {
    contenders: (scenario) =>
      contendersOf(scenario, combined, uncombined, 'createMemoryBackend()', undefined, rlf),
    async close() {
      await Promise.all([combined.close(), uncombined.close(), rlf.close()]);
    },
  };
}

async function redisSetup(node: { host: string; port: number }): Promise<CounterSetup> {
  const url = `redis://${node.host}:${node.port}`;
  const combined = await createRedisBackend({ url, keyPrefix: 'sb:' });
  const uncombined = await createRedisBackend({ url, keyPrefix: 'sbu:', combine: false });
  const rlfClient = new Redis(url);
  const rlf = rlfRedis(rlfClient);
  const raw = await rawRedisIncrement(url);
  return {
    contenders: (scenario) =>
      contendersOf(scenario, combined, uncombined, 'createRedisBackend() defaults', raw, rlf),
    async close() {
      await Promise.all([combined.close(), uncombined.close(), raw.close()]);
      await rlfClient.quit();
    },
  };
}

async function postgresSetup(url: string): Promise<CounterSetup> {
  const combined = await createPostgresBackend({ url, table: 'bench_counters' });
  const uncombined = await createPostgresBackend({
    url,
    table: 'bench_counters_uncombined',
    combine: false,
  });
  const rlf = await rlfPostgres(url, pg.Pool, POOL);
  const raw = await rawPostgresIncrement(url);
  return {
    contenders: (scenario) =>
      contendersOf(
        scenario,
        combined,
        uncombined,
        `createPostgresBackend() defaults (pool ${POOL})`,
        raw,
        rlf,
      ),
    async close() {
      await Promise.all([combined.close(), uncombined.close(), rlf.close(), raw.close()]);
    },
  };
}

/** ioredis sending the adapter's increment script by SHA with the adapter's arguments. */
async function rawRedisIncrement(url: string): Promise<CounterContender> {
  const client = new Redis(url);
  await client.script('LOAD', INCREMENT.lua);
  const ttl = String(WINDOW_MS);
  return {
    kind: 'raw',
    description: 'ioredis (no autopipelining), EVALSHA of the adapter increment script',
    hit: (key) => client.evalsha(INCREMENT.sha, 1, `raw:${key}`, '1', ttl),
    close: async () => {
      await client.quit();
    },
  };
}

/**
 * porsager with the adapter's driver options sending the adapter's increment statement,
 * prepared, to a table the adapter's own setup created.
 */
async function rawPostgresIncrement(url: string): Promise<CounterContender> {
  const setup = await createPostgresBackend({ url, table: 'bench_counters_raw', purgeInterval: 0 });
  const table = setup.table;
  await setup.close();
  const options = driverOptions(resolvePostgresOptions({ url }).client);
  const sql = postgres(url, options);
  const text = statementsFor({ table }).increment;
  const prepared = { prepare: true };
  return {
    kind: 'raw',
    description: `porsager with the adapter driver options (max ${options.max}), the adapter increment statement, prepared`,
    hit: (key) => sql.unsafe(text, [key, 1, WINDOW_MS], prepared).raw(),
    close: () => sql.end(),
  };
}
