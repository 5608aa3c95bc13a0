import { FailoverBackend } from './failover-backend.js';
import type { FailoverBackendOptions } from './options.js';

/**
 * Wrap `primary` and `fallback` in one backend that fails over behind a circuit breaker.
 * Rejects with an `INVALID_CONFIG` KVError for bad options. The inner backends stay the
 * caller's unless `closePrimary` / `closeFallback` hand them over.
 *
 * @example
 * ```ts
 * const kv = await createFailoverBackend({
 *   primary: await createRedisBackend({ url }),
 *   fallback: await createMemoryBackend(),
 *   closePrimary: true,
 *   closeFallback: true,
 *   onStateChange: (state) => log.warn(`strongbox now serving from ${state}`),
 * });
 * ```
 */
export async function createFailoverBackend(
  options: FailoverBackendOptions,
): Promise<FailoverBackend> {
  return new FailoverBackend(options);
}
