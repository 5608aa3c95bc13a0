export { createRedisBackend } from './create-redis-backend.js';
export {
  DEFAULT_OPERATION_TIMEOUT,
  type RedisBackendOptions,
  type RedisBackendOwnOptions,
  type RedisClusterConfig,
} from './options.js';
export { RedisBackend } from './redis-backend.js';
export {
  OWNED_CLIENT_DEFAULTS,
  OWNED_CLIENT_REQUIRED,
  OWNED_CLUSTER_DEFAULTS,
  OWNED_CLUSTER_REQUIRED,
} from './redis-client.js';
