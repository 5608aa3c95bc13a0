import {
  type RedisNodeAddress,
  startPostgres,
  startRedis,
  startRedisCluster,
} from '@strongbox/test-services';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    redisUrl: string;
    redisClusterNodes: RedisNodeAddress[];
  }
}

/**
 * Find or start the shared PostgreSQL, Redis and Redis Cluster (env, Docker or local binaries;
 * see @strongbox/test-services) and stop what was started when the run ends. Fails the run,
 * naming the options, when a server cannot be found.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const results = await Promise.allSettled([startPostgres(), startRedis(), startRedisCluster()]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async () => void (await Promise.all(started.map((service) => service.stop())));
  const [postgres, redis, cluster] = results;
  if (
    postgres?.status !== 'fulfilled' ||
    redis?.status !== 'fulfilled' ||
    cluster?.status !== 'fulfilled'
  ) {
    await stopAll();
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    throw new AggregateError(reasons, reasons.map(String).join('\n\n'));
  }
  project.provide('postgresUrl', postgres.value.url);
  project.provide('redisUrl', redis.value.url);
  project.provide('redisClusterNodes', cluster.value.nodes);
  return stopAll;
}
