import type { RedisBackendOptions } from './options.js';
import { createOwnedClient } from './owned-client.js';
import { RedisBackend } from './redis-backend.js';
import { resolveRedisOptions } from './resolve-options.js';

/**
 * Create a Redis backend: validate the options (before any I/O), build or adopt the ioredis
 * client, connect and ping. Rejects with `INVALID_CONFIG` / `INVALID_CONN_STRING` for bad
 * options, `CONNECTION_FAILED` or `PING_FAILED` (unhealthy) when Redis cannot be used; a client
 * the adapter built is closed before it rejects.
 *
 * @example
 * const kv = await createRedisBackend({ url: 'redis://localhost:6379', keyPrefix: 'app:' });
 */
export async function createRedisBackend(options?: RedisBackendOptions): Promise<RedisBackend> {
  const { plan, ...settings } = resolveRedisOptions(options);
  if (plan.kind === 'caller') {
    return RedisBackend.open({ ...settings, client: plan.client, closeClient: plan.closeClient });
  }
  return RedisBackend.open({ ...settings, client: createOwnedClient(plan), closeClient: true });
}
