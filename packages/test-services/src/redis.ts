import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure } from './failure-reason.js';
import { LocalRedisServer } from './local-redis.js';
import { startLocalRedisCluster } from './local-redis-cluster.js';
import { missingServerError } from './missing-server.js';
import { startRedisContainer } from './redis-containers.js';
import type {
  RedisClusterService,
  RedisNodeAddress,
  RedisService,
  StartRedisOptions,
  ThrowawayRedisClusterService,
  ThrowawayRedisService,
} from './redis-types.js';

/**
 * A standalone Redis for tests, found in DESIGN.md's order: `TEST_REDIS_URL` (unless
 * `throwaway`), a Docker engine through testcontainers, then a local `redis-server` on a free
 * loopback port. Throws an error naming all three options when none works.
 */
export function startRedis(
  options: StartRedisOptions & { throwaway: true },
): Promise<ThrowawayRedisService>;
export function startRedis(options?: StartRedisOptions): Promise<RedisService>;
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisService> {
  const reasons: string[] = [];
  const envUrl = process.env.TEST_REDIS_URL;
  if (options.throwaway)
    reasons.push('TEST_REDIS_URL: not used, these tests need a server of their own');
  else if (envUrl) return { url: envUrl, source: 'env', stop: async () => {} };
  else reasons.push('TEST_REDIS_URL is not set');

  try {
    const container = await startRedisContainer(1, false);
    const [server] = container.servers;
    if (server === undefined) throw new Error('the container started no server');
    return { url: urlOf(server), source: 'docker', controls: server, stop: container.stop };
  } catch (error) {
    reasons.push(`Docker (testcontainers): ${describeFailure(error)}`);
  }

  const dir = await mkdtemp(join(tmpdir(), 'strongbox-redis-'));
  try {
    const server = await LocalRedisServer.start(dir);
    const stop = async () => {
      await server.shutdown();
      await rm(dir, { recursive: true, force: true });
    };
    return { url: urlOf(server), source: 'local', controls: server, stop };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    reasons.push(`local redis-server: ${describeFailure(error)}`);
  }
  throw missingServerError('Redis', reasons);
}

/**
 * A Redis Cluster for tests, in the same order: `TEST_REDIS_CLUSTER_NODES` (comma-separated
 * `host:port` seeds, unless `throwaway`), Docker, then three local `redis-server` masters
 * joined with `redis-cli --cluster create`.
 */
export function startRedisCluster(
  options: StartRedisOptions & { throwaway: true },
): Promise<ThrowawayRedisClusterService>;
export function startRedisCluster(options?: StartRedisOptions): Promise<RedisClusterService>;
export async function startRedisCluster(
  options: StartRedisOptions = {},
): Promise<RedisClusterService> {
  const reasons: string[] = [];
  const envNodes = process.env.TEST_REDIS_CLUSTER_NODES;
  if (options.throwaway) {
    reasons.push('TEST_REDIS_CLUSTER_NODES: not used, these tests need a cluster of their own');
  } else if (envNodes) {
    return { nodes: parseNodes(envNodes), source: 'env', stop: async () => {} };
  } else {
    reasons.push('TEST_REDIS_CLUSTER_NODES is not set');
  }

  try {
    const container = await startRedisContainer(3, true);
    const nodes = container.servers;
    return { nodes: nodes.map(addressOf), source: 'docker', controls: nodes, stop: container.stop };
  } catch (error) {
    reasons.push(`Docker (testcontainers): ${describeFailure(error)}`);
  }

  const dir = await mkdtemp(join(tmpdir(), 'strongbox-redis-cluster-'));
  try {
    const nodes = await startLocalRedisCluster(dir);
    const stop = async () => {
      await Promise.all(nodes.map((node) => node.shutdown()));
      await rm(dir, { recursive: true, force: true });
    };
    return { nodes: nodes.map(addressOf), source: 'local', controls: nodes, stop };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    reasons.push(`local redis-server cluster: ${describeFailure(error)}`);
  }
  throw missingServerError('Redis Cluster', reasons);
}

/** Parse `host:port,host:port` (the format of `TEST_REDIS_CLUSTER_NODES`). */
export function parseNodes(text: string): RedisNodeAddress[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const match = /^(.+):(\d+)$/.exec(part);
      if (!match?.[1] || !match[2]) {
        throw new Error(
          `TEST_REDIS_CLUSTER_NODES: expected host:port[,host:port...], got "${part}"`,
        );
      }
      return { host: match[1], port: Number(match[2]) };
    });
}

function urlOf(server: RedisNodeAddress): string {
  return `redis://${server.host}:${server.port}`;
}

function addressOf(server: RedisNodeAddress): RedisNodeAddress {
  return { host: server.host, port: server.port };
}
