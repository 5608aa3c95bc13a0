/**
 * What better-sqlite3's errors mean for the contract's flags. Its `SqliteError` carries SQLite's
 * extended result code as a string (`SQLITE_BUSY`, `SQLITE_IOERR_FSYNC`, ...).
 */

/** Result codes of a database that cannot serve requests: locked too long, unreadable or full. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|CORRUPT|NOTADB|PROTOCOL)/;

/** better-sqlite3's message once its connection was closed (by a caller who owns it, say). */
const CONNECTION_CLOSED = 'The database connection is not open';

/** True when `error` says the database is unavailable rather than the call being wrong. */
export function isUnavailableSqliteError(error: Error): boolean {
  return UNAVAILABLE.test(sqliteCode(error) ?? '') || error.message === CONNECTION_CLOSED;
}

/**
 * Whether a failed write may have been applied. SQLite commits atomically and better-sqlite3
 * rolls the transaction back when anything in it throws, so a failed write wrote nothing,
 * except when the commit itself hit an I/O error: then the outcome is unknown until the next
 * reader recovers the file.
 */
export function mayHaveCommitted(error: unknown): boolean {
  return error instanceof Error && (sqliteCode(error) ?? '').startsWith('SQLITE_IOERR');
}

/**
 * True for SQLite's plain `SQLITE_BUSY`: another connection holds a lock this one needs (the
 * extended `SQLITE_BUSY_*` codes are other situations).
 */
export function isBusySqliteError(error: unknown): boolean {
  return error instanceof Error && sqliteCode(error) === 'SQLITE_BUSY';
}

function sqliteCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
