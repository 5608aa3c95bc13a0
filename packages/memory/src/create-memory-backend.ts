import { MemoryBackend } from './memory-backend.js';
import type { MemoryBackendOptions } from './options.js';

/**
 * Create an in-process backend. Rejects with an `INVALID_CONFIG` KVError for bad options.
 *
 * @example
 * ```ts
 * await using kv = await createMemoryBackend();
 * await kv.set('greeting', 'hello', { ttl: 60_000 });
 * ```
 */
export async function createMemoryBackend(options?: MemoryBackendOptions): Promise<MemoryBackend> {
  return new MemoryBackend(options);
}
