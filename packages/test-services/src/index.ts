export { freePort } from './free-port.js';
export { missingServerError } from './missing-server.js';
export { startPostgres } from './postgres.js';
export type {
  PostgresServerControls,
  PostgresService,
  PostgresSource,
  StartPostgresOptions,
  ThrowawayPostgresService,
} from './postgres-types.js';
export { isRunning, killOnExit, runCommand, waitForExit, waitUntil } from './process-utils.js';
export { parseNodes, startRedis, startRedisCluster } from './redis.js';
export type {
  RedisClusterService,
  RedisNodeAddress,
  RedisServerControls,
  RedisService,
  RedisSource,
  StartRedisOptions,
  ThrowawayRedisClusterService,
  ThrowawayRedisService,
} from './redis-types.js';
