import Database from 'better-sqlite3';
import { isBusySqliteError } from './sqlite-errors.js';

const WAL_RETRY_PAUSE_MS = 5;
/** What the synchronous pause between attempts waits on (nothing ever wakes it). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Open `filename` for sharing between processes: WAL lets readers run beside the one writer,
 * the busy timeout makes a writer wait for the lock instead of failing at once, and
 * `synchronous = NORMAL` (safe in WAL mode) may lose the last commits on power loss, never
 * consistency.
 */
export function openDatabase(filename: string, busyTimeout: number): Database.Database {
  const database = new Database(filename, { timeout: busyTimeout });
  try {
    switchToWal(database, busyTimeout);
    database.pragma('synchronous = NORMAL');
    return database;
  } catch (error) {
    closeKeepingError(database);
    throw error;
  }
}

/**
 * Switch the file to WAL, retrying while another process holds the lock. Processes converting
 * a new file at once can deadlock on the upgrade to the exclusive lock, and SQLite then answers
 * `SQLITE_BUSY` at once instead of calling the busy handler, so `busyTimeout` is applied here.
 */
function switchToWal(database: Database.Database, busyTimeout: number): void {
  const giveUpAt = Date.now() + busyTimeout;
  for (;;) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusySqliteError(error) || Date.now() >= giveUpAt) throw error;
      // Opening is synchronous (better-sqlite3), so the pause between attempts is too.
      Atomics.wait(PAUSE, 0, 0, WAL_RETRY_PAUSE_MS);
    }
  }
}

/** Close a connection a failed setup opened; its own failure must not replace the setup's error. */
export function closeKeepingError(database: Database.Database): void {
  try {
    database.close();
  } catch {
    // The setup error says what to fix; a failed close of a connection being abandoned does not.
  }
}
