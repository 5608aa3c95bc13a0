import {
  createConnectionErrorClassifier,
  KVError,
  type KVErrorCode,
  sanitizeError,
} from '@strongbox/core';
import { resolveSqliteOptions, type SqliteBackendOptions } from './options.js';
import { createExpiryIndex, createTable, tableShapeProblem } from './schema-setup.js';
import { SqliteBackend } from './sqlite-backend.js';
import { closeKeepingError, openDatabase } from './sqlite-client.js';
import { isUnavailableSqliteError } from './sqlite-errors.js';

/**
 * Open (or adopt) a SQLite database, create the table if missing, and resolve a backend.
 * Rejects with `INVALID_CONFIG` for bad options, `CONNECTION_FAILED` when the file cannot be
 * opened, `TABLE_CREATION_FAILED` or `TABLE_QUERY_FAILED` when the table cannot be set up;
 * a connection the adapter opened is closed again on failure.
 *
 * @example
 * ```ts
 * await using kv = await createSqliteBackend({ filename: 'app.db' });
 * await kv.checkAndSet('lease', null, 'worker-1', { ttl: 30_000 });
 * ```
 */
export async function createSqliteBackend(options: SqliteBackendOptions): Promise<SqliteBackend> {
  const settings = resolveSqliteOptions(options);
  const isConnectionError = createConnectionErrorClassifier({
    patterns: settings.connectionErrorPatterns,
    isDriverConnectionError: isUnavailableSqliteError,
  });
  const setupError = (code: KVErrorCode, error: unknown, detail?: string) =>
    new KVError({
      code,
      backend: 'sqlite',
      op: 'connect',
      unhealthy: code === 'CONNECTION_FAILED' || isConnectionError(error),
      ...(error === undefined ? {} : { cause: sanitizeError(error) }),
      ...(detail === undefined ? {} : { detail }),
    });

  /** Run one setup step, turning its failure into a KVError with `code`. */
  const step = <T>(code: KVErrorCode, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw setupError(code, error);
    }
  };

  const { source, table } = settings;
  const database =
    'filename' in source
      ? step('CONNECTION_FAILED', () => openDatabase(source.filename, settings.busyTimeout))
      : source.database;
  try {
    step('TABLE_CREATION_FAILED', () => createTable(database, table));
    const problem = step('TABLE_QUERY_FAILED', () => tableShapeProblem(database, table));
    if (problem !== undefined) throw setupError('TABLE_QUERY_FAILED', undefined, problem);
    step('TABLE_CREATION_FAILED', () => createExpiryIndex(database, table));
    return step('TABLE_QUERY_FAILED', () => new SqliteBackend({ database, settings }));
  } catch (error) {
    if ('filename' in source) closeKeepingError(database);
    throw error;
  }
}
