import { redactText } from '@strongbox/core';
import {
  type RedisClusterService,
  type RedisNodeAddress,
  type RedisService,
  startRedis,
  startRedisCluster,
} from '@strongbox/test-services';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared standalone server (`redis://host:port`). */
    redisUrl: string;
    /** Seed nodes of the shared Redis Cluster. */
    redisClusterNodes: RedisNodeAddress[];
  }
}

/**
 * Find or start the shared servers (env, Docker, local binaries; see @strongbox/test-services),
 * hand their addresses to the tests, and stop whatever was started when the run ends.
 * Fails the run with a message naming the options when no server can be found.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [single, cluster] = await Promise.allSettled([startRedis(), startRedisCluster()]);
  const started = [single, cluster]
    .filter((result) => result.status === 'fulfilled')
    .map((result) => (result as PromiseFulfilledResult<RedisService | RedisClusterService>).value);
  const stopAll = async () => void (await Promise.all(started.map((service) => service.stop())));
  if (single.status === 'rejected' || cluster.status === 'rejected') {
    await stopAll();
    const reasons = [single, cluster].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    throw reasons.length === 1
      ? reasons[0]
      : new AggregateError(reasons, reasons.map(String).join('\n\n'));
  }
  project.provide('redisUrl', single.value.url);
  project.provide('redisClusterNodes', cluster.value.nodes);
  console.info(
    `Redis (${single.value.source}): ${redactText(single.value.url)}; Redis Cluster (${cluster.value.source}): ` +
      cluster.value.nodes.map((node) => `${node.host}:${node.port}`).join(','),
  );
  return stopAll;
}
