export { createSqliteBackend } from './create-sqlite-backend.js';
export { DEFAULT_TABLE, type SqliteBackendOptions } from './options.js';
export { PURGE_BATCH_SIZE, SqliteBackend } from './sqlite-backend.js';
