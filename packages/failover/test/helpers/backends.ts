import { randomUUID } from 'node:crypto';
import { createMemoryBackend } from '@strongbox/memory';
import { createRedisBackend, type RedisBackend, type RedisBackendOptions } from '@strongbox/redis';
import { onTestFinished } from 'vitest';
import {
  createFailoverBackend,
  type FailoverBackend,
  type FailoverBackendOptions,
} from '../../src/index.js';

/** A Redis backend with a key prefix of its own. */
export function redisPrimary(
  url: string,
  options: Partial<RedisBackendOptions> = {},
): Promise<RedisBackend> {
  const name = `sbtest-failover-${randomUUID().slice(0, 8)}`;
  return createRedisBackend({ url, keyPrefix: `${name}:`, connectionName: name, ...options });
}

/**
 * A failover backend over a Redis primary (on `url`) and a fresh memory fallback, owning both,
 * closed when the current test ends.
 */
export async function failoverOnRedis(
  url: string,
  options: Partial<FailoverBackendOptions> & { redis?: Partial<RedisBackendOptions> } = {},
): Promise<FailoverBackend> {
  const { redis, ...rest } = options;
  const kv = await createFailoverBackend({
    primary: await redisPrimary(url, redis),
    fallback: await createMemoryBackend(),
    closePrimary: true,
    closeFallback: true,
    ...rest,
  });
  onTestFinished(() => kv.close());
  return kv;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
