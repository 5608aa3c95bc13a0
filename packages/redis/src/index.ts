export {
  OWNED_CLIENT_DEFAULTS,
  OWNED_CLIENT_REQUIRED,
  OWNED_CLUSTER_DEFAULTS,
  OWNED_CLUSTER_REQUIRED,
} from './client-defaults.js';
export { createRedisBackend } from './create-redis-backend.js';
export type { RedisBackendOptions, RedisBackendOwnOptions, RedisClusterConfig } from './options.js';
export { RedisBackend } from './redis-backend.js';
export { DEFAULT_OPERATION_TIMEOUT } from './resolve-options.js';
