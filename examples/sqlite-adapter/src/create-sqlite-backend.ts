import {
  createConnectionErrorClassifier,
  KVError,
  type KVErrorCode,
  sanitizeError,
} from '@strongbox/core';
import Database from 'better-sqlite3';
import { resolveSqliteOptions, type SqliteBackendOptions } from './options.js';
import { createExpiryIndex, createTable, tableShapeProblem } from './schema.js';
import { SqliteBackend } from './sqlite-backend.js';
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
    return step('TABLE_QUERY_FAILED', () => new SqliteBackend(database, settings));
  } catch (error) {
    if ('filename' in source) closeKeepingError(database);
    throw error;
  }
}

/**
 * Open `filename` for sharing between processes: WAL lets readers run beside the one writer,
 * the busy timeout makes a writer wait for the lock instead of failing at once, and
 * `synchronous = NORMAL` (safe in WAL mode) may lose the last commits on power loss, never
 * consistency.
 */
function openDatabase(filename: string, busyTimeout: number): Database.Database {
  const database = new Database(filename, { timeout: busyTimeout });
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    return database;
  } catch (error) {
    closeKeepingError(database);
    throw error;
  }
}

/** Close a connection a failed setup opened; its own failure must not replace the setup's error. */
function closeKeepingError(database: Database.Database): void {
  try {
    database.close();
  } catch {
    // The setup error says what to fix; a failed close of a connection being abandoned does not.
  }
}
