import type Database from 'better-sqlite3';
import { quoteIdentifier } from './schema-setup.js';

/** A row is live when it has no expiry or its expiry is after `now`. */
const LIVE = '(expires_at IS NULL OR expires_at > @now)';

/** The largest safe integer, 2^53 - 1: counters stay within plus or minus it. */
const MAX_COUNTER = '9007199254740991';
/** The stored value as an integer (SQLite reads a leading integer and ignores the rest). */
const STORED = 'CAST(value AS INTEGER)';
/** `@delta` as an integer: better-sqlite3 binds every JS number as REAL. */
const DELTA = 'CAST(@delta AS INTEGER)';
/**
 * The stored value is a counter: it is the canonical text of its own integer (which rules out
 * `01`, `-0`, `+1`, spaces, exponents and anything after a NUL, compared byte for byte) and
 * within the safe-integer range. The `CASE` keeps the range test from running on non-counters.
 */
const IS_COUNTER = `CASE WHEN CAST(${STORED} AS TEXT) = value
  THEN ${STORED} BETWEEN -${MAX_COUNTER} AND ${MAX_COUNTER} ELSE 0 END`;

/** The prepared statements of one backend, each a single SQL statement on one table. */
export interface Statements {
  /** The live value of `@key` at `@now`. */
  getLive: Database.Statement<[{ key: string; now: number }], string>;
  /** Insert or replace `@key` with `@value` expiring at `@expiresAt` (null: never). */
  upsert: Database.Statement<[{ key: string; value: string; expiresAt: number | null }]>;
  /** Replace the value of an existing `@key`, keeping its expiry. */
  replaceValue: Database.Statement<[{ key: string; value: string }]>;
  /** Delete `@key` if its live value is `@expected`. */
  deleteIfValue: Database.Statement<[{ key: string; expected: string; now: number }]>;
  /** Delete `@key` whatever its state; the returned row says whether it was live. */
  deleteReturningLive: Database.Statement<[{ key: string; now: number }], number>;
  /**
   * Add `@delta` to the live counter `@key` at `@now`, keeping its expiry, or create it with
   * value `@delta` expiring at `@expiresAt` when absent or expired. Returns the new value and
   * expiry; returns no row, writing nothing, when the live value is not a counter or the result
   * would leave the safe-integer range.
   */
  increment: Database.Statement<
    [{ key: string; delta: number; now: number; expiresAt: number | null }],
    { value: number; expiresAt: number | null }
  >;
  /** Delete up to `@limit` rows expired at `@now`. */
  purgeExpired: Database.Statement<[{ now: number; limit: number }]>;
  /** Reads the table: fails when the file became unreadable. */
  ping: Database.Statement<[], unknown>;
  /** SQLite's clock: ms since the Unix epoch, read from the operating system by SQLite. */
  sqliteNow: Database.Statement<[], number>;
}

/** Prepare every statement for `table` (already created). */
export function prepareStatements(db: Database.Database, table: string): Statements {
  const t = quoteIdentifier(table);
  return {
    getLive: db
      .prepare<[{ key: string; now: number }], string>(
        `SELECT value FROM ${t} WHERE key = @key AND ${LIVE}`,
      )
      .pluck(),
    upsert: db.prepare(
      `INSERT INTO ${t} (key, value, expires_at) VALUES (@key, @value, @expiresAt)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    ),
    replaceValue: db.prepare(`UPDATE ${t} SET value = @value WHERE key = @key`),
    deleteIfValue: db.prepare(
      `DELETE FROM ${t} WHERE key = @key AND value = @expected AND ${LIVE}`,
    ),
    deleteReturningLive: db
      .prepare<[{ key: string; now: number }], number>(
        `DELETE FROM ${t} WHERE key = @key RETURNING ${LIVE}`,
      )
      .pluck(),
    increment: db.prepare(
      `INSERT INTO ${t} (key, value, expires_at)
       VALUES (@key, CAST(${DELTA} AS TEXT), @expiresAt)
       ON CONFLICT (key) DO UPDATE SET
         value = CASE WHEN ${LIVE} THEN CAST(${STORED} + ${DELTA} AS TEXT) ELSE excluded.value END,
         expires_at = CASE WHEN ${LIVE} THEN expires_at ELSE excluded.expires_at END
       WHERE NOT ${LIVE} OR CASE WHEN ${IS_COUNTER}
         THEN ${STORED} + ${DELTA} BETWEEN -${MAX_COUNTER} AND ${MAX_COUNTER} ELSE 0 END
       RETURNING ${STORED} AS value, expires_at AS expiresAt`,
    ),
    purgeExpired: db.prepare(
      `DELETE FROM ${t} WHERE key IN (SELECT key FROM ${t} WHERE expires_at <= @now LIMIT @limit)`,
    ),
    ping: db.prepare(`SELECT 1 FROM ${t} LIMIT 1`),
    // unixepoch('subsec') holds whole milliseconds (SQLite keeps time as integer ms), so
    // rounding the product only undoes floating-point noise.
    sqliteNow: db
      .prepare<[], number>(`SELECT CAST(round(unixepoch('subsec') * 1000) AS INTEGER)`)
      .pluck(),
  };
}
