/**
 * `@strongbox/redis/internal`: pieces of the adapter for the repository's benchmark harness,
 * so its raw-driver baselines send exactly the scripts and socket writes the adapter does.
 * **Unstable**: not part of the public API, may change or disappear in any release (semver
 * does not cover it). Applications use `@strongbox/redis`.
 *
 * @packageDocumentation
 */
export { type ResolvedRedisOptions, resolveRedisOptions } from './options.js';
export { CHECK_AND_DELETE, CHECK_AND_SET, INCREMENT, type RedisScript } from './scripts.js';
export { createWriteCoalescer } from './write-coalescing.js';
