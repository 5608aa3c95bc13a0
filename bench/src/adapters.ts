import type { AdapterName, BenchConfig } from './config.js';
import type { Contender } from './contender.js';
import { memoryContenders } from './contenders/memory.js';
import { postgresContenders } from './contenders/postgres.js';
import { redisContenders } from './contenders/redis.js';
import type { RedisAddress, RedisDeployment } from './contenders/redis-deployment.js';
import { log } from './format.js';
import {
  type PurgeUnderLoadResult,
  runPurgeUnderLoad,
} from './postgres-extras/purge-under-load.js';
import { runSustained, type SustainedResult } from './postgres-extras/sustained.js';
import type { CountedContenders } from './round-trips/count-round-trips.js';
import { startCountingProxy } from './round-trips/counting-proxy.js';
import { countPostgresRoundTrips } from './round-trips/postgres-messages.js';
import { countRedisCommands } from './round-trips/redis-commands.js';
import { checkpointsOf } from './servers/checkpoints.js';
import { startBenchPostgres } from './servers/postgres-server.js';
import { startBenchRedis } from './servers/redis-servers.js';

/** An adapter with its server running: how to build its contenders, directly and counted. */
export interface AdapterSetup {
  name: AdapterName;
  /** The server's settings, recorded with the results. */
  serverSettings?: Record<string, string>;
  contenders(): Promise<Contender[]>;
  /** The same contenders talking through counting proxies; networked adapters only. */
  counted?(): Promise<CountedContenders>;
  /** Run before each sitting of a cell, outside any measurement, that sitting planned to take `ms`. */
  beforeSitting?(ms: number): Promise<void>;
  /** Measurements only this adapter has (Postgres: the sustained run and purge under load). */
  extras?(config: BenchConfig): Promise<AdapterExtras>;
  stop(): Promise<void>;
}

/** Results of the adapter-specific measurements. */
export interface AdapterExtras {
  sustained?: SustainedResult[];
  purgeUnderLoad?: PurgeUnderLoadResult;
}

/** Start what `name` needs (a throwaway server for networked adapters). */
export async function setUpAdapter(name: AdapterName): Promise<AdapterSetup> {
  switch (name) {
    case 'memory':
      return { name, contenders: memoryContenders, stop: async () => {} };
    case 'redis':
    case 'redis-cluster':
      return setUpRedis(name);
    case 'postgres':
      return setUpPostgres();
  }
}

async function setUpPostgres(): Promise<AdapterSetup> {
  const server = await startBenchPostgres();
  const checkpoints = checkpointsOf(server.url);
  const { hostname, port } = new URL(server.url);
  return {
    name: 'postgres',
    serverSettings: server.settings,
    contenders: () => postgresContenders(server.url),
    async counted() {
      const proxy = await startCountingProxy(
        { host: hostname, port: Number(port) },
        countPostgresRoundTrips,
      );
      const proxied = new URL(server.url);
      proxied.host = `${proxy.host}:${proxy.port}`;
      const contenders = await postgresContenders(proxied.href);
      return {
        contenders,
        messages: () => proxy.count,
        async close() {
          await Promise.all(contenders.map((contender) => contender.close()));
          await proxy.close();
        },
      };
    },
    async extras(config) {
      log('postgres: sustained run');
      const sustained = await runSustained(server.url, config.sustainedMs, checkpoints);
      log('postgres: purge under load');
      const purgeUnderLoad = await runPurgeUnderLoad(
        server.url,
        config.purge.expiredRows,
        config.purge.durationMs,
      );
      return { sustained, purgeUnderLoad };
    },
    beforeSitting: (ms) => checkpoints.clearFor(ms),
    async stop() {
      await checkpoints.close();
      await server.stop();
    },
  };
}

async function setUpRedis(name: 'redis' | 'redis-cluster'): Promise<AdapterSetup> {
  const server = await startBenchRedis(name === 'redis' ? 'single' : 'cluster');
  const deploymentAt = (
    nodes: RedisAddress[],
    natMap?: Record<string, RedisAddress>,
  ): RedisDeployment => {
    if (name === 'redis-cluster') return { kind: 'cluster', nodes, ...(natMap ? { natMap } : {}) };
    const [node] = nodes;
    return { kind: 'single', url: `redis://${node?.host}:${node?.port}` };
  };
  return {
    name,
    serverSettings: server.settings,
    contenders: () => redisContenders(deploymentAt(server.nodes)),
    async counted() {
      const proxies = await Promise.all(
        server.nodes.map((node) => startCountingProxy(node, countRedisCommands)),
      );
      const natMap = Object.fromEntries(
        server.nodes.map((node, i) => [
          `${node.host}:${node.port}`,
          { host: proxies[i]?.host ?? '', port: proxies[i]?.port ?? 0 },
        ]),
      );
      const contenders = await redisContenders(deploymentAt(proxies, natMap));
      return {
        contenders,
        messages: () => proxies.reduce((sum, proxy) => sum + proxy.count, 0),
        async close() {
          await Promise.all(contenders.map((contender) => contender.close()));
          await Promise.all(proxies.map((proxy) => proxy.close()));
        },
      };
    },
    stop: server.stop,
  };
}
