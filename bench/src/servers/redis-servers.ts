import { startRedis, startRedisCluster } from '@strongbox/test-services';
import { Redis } from 'ioredis';
import type { RedisAddress } from '../contenders/redis-deployment.js';

/** Redis' stock RDB snapshot schedule (redis.conf); test servers start with snapshots off. */
const STOCK_SAVE = '3600 1 300 100 60 10000';

/** A Redis server or Cluster the bench started, with the settings it ran with. */
export interface BenchRedis {
  nodes: RedisAddress[];
  settings: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A throwaway Redis (or 3-master Cluster) from test-services, switched back to Redis' stock
 * persistence (RDB snapshots; AOF stays off, as in stock redis.conf).
 */
export async function startBenchRedis(kind: 'single' | 'cluster'): Promise<BenchRedis> {
  const service =
    kind === 'single'
      ? await startRedis({ throwaway: true })
      : await startRedisCluster({ throwaway: true });
  const nodes = 'nodes' in service ? service.nodes : [addressOf(service.url)];
  try {
    let settings: Record<string, string> = {};
    for (const node of nodes) settings = await restoreStockSettings(node);
    return { nodes, settings, stop: () => service.stop() };
  } catch (error) {
    await service.stop();
    throw error;
  }
}

async function restoreStockSettings(node: RedisAddress): Promise<Record<string, string>> {
  const client = new Redis({ host: node.host, port: node.port, lazyConnect: true });
  try {
    await client.connect();
    await client.config('SET', 'save', STOCK_SAVE);
    const settings: Record<string, string> = {};
    for (const name of ['save', 'appendonly', 'appendfsync', 'maxmemory', 'io-threads']) {
      const [, value] = (await client.config('GET', name)) as [string, string];
      settings[name] = value;
    }
    const info = await client.info('server');
    settings.redis_version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    return settings;
  } finally {
    client.disconnect();
  }
}

function addressOf(url: string): RedisAddress {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}
