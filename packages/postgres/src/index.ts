export { createPostgresBackend } from './create-postgres-backend.js';
export { MAX_IDENTIFIER_BYTES } from './identifiers.js';
export {
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MIN_CONNECTIONS,
  DEFAULT_OPERATION_TIMEOUT,
  DEFAULT_PURGE_INTERVAL,
  type PostgresBackendOptions,
  type PostgresClient,
  type PostgresSsl,
} from './options.js';
export { DEFAULT_PURGE_BATCH_SIZE, PostgresBackend } from './postgres-backend.js';
