import type Database from 'better-sqlite3';

/** The columns the adapter reads and writes, in order. */
const EXPECTED_COLUMNS = ['key', 'value', 'expires_at'];

/** `name` as a quoted SQL identifier. Names are validated first; quoting is the second fence. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Create the table when missing. `IF NOT EXISTS` under SQLite's write lock makes this safe
 * when several processes open the same file at once. `expires_at` is ms since the Unix epoch
 * on the backend's clock, NULL for no expiry.
 */
export function createTable(db: Database.Database, table: string): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (
      key TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL,
      expires_at INTEGER
    )
  `);
}

/** Create the index the purge walks, when missing. */
export function createExpiryIndex(db: Database.Database, table: string): void {
  db.exec(`
    CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_expires_at`)}
      ON ${quoteIdentifier(table)} (expires_at) WHERE expires_at IS NOT NULL
  `);
}

/** A description of what is wrong with an existing table's shape, or undefined when it fits. */
export function tableShapeProblem(db: Database.Database, table: string): string | undefined {
  const columns = db
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?) ORDER BY cid')
    .all(table)
    .map((column) => column.name);
  const missing = EXPECTED_COLUMNS.filter((name) => !columns.includes(name));
  return missing.length === 0
    ? undefined
    : `table ${table} lacks column(s) ${missing.join(', ')}; it was not created by this adapter`;
}
