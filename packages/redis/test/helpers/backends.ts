import { randomUUID } from 'node:crypto';
import { inject, onTestFinished } from 'vitest';
import {
  createRedisBackend,
  type RedisBackend,
  type RedisBackendOptions,
  type RedisClusterConfig,
} from '../../src/index.js';

/** A name no other test uses: key prefix and client name of one backend. */
export function uniqueName(label: string): string {
  return `sbtest-${label}-${randomUUID().slice(0, 8)}`;
}

/** The two topologies every behaviour is checked on. */
export type Topology = 'single' | 'cluster';
export const TOPOLOGIES: readonly Topology[] = ['single', 'cluster'];

/**
 * A backend with its own key prefix and connection name (so `dropConnections` touches only its
 * connections), on the shared single server or cluster unless `url`/`cluster.nodes` say otherwise.
 */
export function createTestBackend(
  topology: Topology,
  options: Partial<RedisBackendOptions> & { cluster?: Partial<RedisClusterConfig> } = {},
): Promise<RedisBackend> {
  const name = uniqueName(topology);
  const { cluster, ...rest } = options;
  if (topology === 'single') {
    return createRedisBackend({
      url: inject('redisUrl'),
      keyPrefix: `${name}:`,
      connectionName: name,
      ...rest,
    });
  }
  return createRedisBackend({
    keyPrefix: `${name}:`,
    ...rest,
    cluster: {
      nodes: inject('redisClusterNodes'),
      ...cluster,
      redisOptions: { connectionName: name, ...cluster?.redisOptions },
    },
  });
}

/** Close `backend` when the current test ends, however it ends. */
export function closeAfterTest<T extends { close(): Promise<void> }>(backend: T): T {
  onTestFinished(() => backend.close());
  return backend;
}

/** {@link createTestBackend}, closed when the current test ends. */
export async function testBackend(
  topology: Topology,
  options?: Parameters<typeof createTestBackend>[1],
): Promise<RedisBackend> {
  return closeAfterTest(await createTestBackend(topology, options));
}
