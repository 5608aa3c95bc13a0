import { type RedisBackendOptions, resolveRedisOptions } from './options.js';
import { RedisBackend } from './redis-backend.js';
import { clientSecrets, connectClient, openClient } from './redis-client.js';

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
  const { client, closeClient } = openClient(plan);
  const backend = new RedisBackend({ ...settings, client, closeClient });
  try {
    if (client.status === 'wait') {
      await connectClient(client, settings.operationTimeout, clientSecrets(client));
    }
    await backend.ping();
  } catch (error) {
    await backend.close().catch(() => undefined);
    throw error;
  }
  return backend;
}
