import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { LocalRedisServer } from './local-redis.js';
import { runCommand, waitUntil } from './process-utils.js';
import type { RedisNodeAddress } from './redis-types.js';
import { redisCommand } from './redis-wire.js';

const MASTERS = 3;
/** Short, so a stopped node is marked failed (and a restarted one accepted) within about a second. */
const NODE_TIMEOUT_MS = 500;
const CLUSTER_OK_TIMEOUT_MS = 20_000;

/**
 * Start three local `redis-server` cluster nodes under `rootDir`, join them into one cluster
 * of 3 masters (no replicas) and wait until every node reports `cluster_state:ok`.
 * On failure the nodes already started are stopped.
 */
export async function startLocalRedisCluster(rootDir: string): Promise<LocalRedisServer[]> {
  const nodes: LocalRedisServer[] = [];
  try {
    for (let i = 0; i < MASTERS; i++) {
      const dir = join(rootDir, `node-${i}`);
      await mkdir(dir);
      nodes.push(await LocalRedisServer.start(dir, clusterNodeArgs));
    }
    await runCommand('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((node) => `${node.host}:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitForClusterOk(nodes);
    return nodes;
  } catch (error) {
    await Promise.all(nodes.map((node) => node.shutdown()));
    throw error;
  }
}

/** Resolve once every node says the cluster is up and serving all slots. */
export function waitForClusterOk(nodes: readonly RedisNodeAddress[]): Promise<void> {
  return waitUntil(
    'cluster_state:ok on every node',
    async () => {
      const infos = await Promise.all(
        nodes.map((node) =>
          redisCommand(node.host, node.port, ['CLUSTER', 'INFO']).catch(() => ''),
        ),
      );
      return infos.every((info) => info.includes('cluster_state:ok'));
    },
    CLUSTER_OK_TIMEOUT_MS,
    100,
  );
}

async function clusterNodeArgs(): Promise<string[]> {
  // The bus port is chosen explicitly: the default (data port + 10000) may exceed 65535.
  const busPort = await freePort();
  return [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-node-timeout',
    String(NODE_TIMEOUT_MS),
    '--cluster-port',
    String(busPort),
  ];
}
