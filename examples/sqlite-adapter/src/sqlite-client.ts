import Database from 'better-sqlite3';

/**
 * Open `filename` for sharing between processes: WAL lets readers run beside the one writer,
 * the busy timeout makes a writer wait for the lock instead of failing at once, and
 * `synchronous = NORMAL` (safe in WAL mode) may lose the last commits on power loss, never
 * consistency.
 */
export function openDatabase(filename: string, busyTimeout: number): Database.Database {
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
export function closeKeepingError(database: Database.Database): void {
  try {
    database.close();
  } catch {
    // The setup error says what to fix; a failed close of a connection being abandoned does not.
  }
}
