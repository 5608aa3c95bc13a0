import { KVError } from '@strongbox/core';
import type Database from 'better-sqlite3';

/** Options of {@link createSqliteBackend}. Give exactly one of `filename` and `database`. */
export interface SqliteBackendOptions {
  /**
   * Path of the database file, created if missing. The adapter opens and owns the connection,
   * in WAL mode with `synchronous = NORMAL`. Processes that open the same file share its keys.
   * `':memory:'` gives a private database that lives as long as the backend.
   */
  filename?: string | undefined;
  /**
   * A better-sqlite3 connection you opened. The adapter changes none of its settings: for
   * several processes on one file, open it in WAL mode with a busy timeout yourself.
   * It stays open after `close()` unless `closeClient` is true.
   */
  database?: Database.Database | undefined;
  /** Close the caller's `database` when the backend closes (default false). */
  closeClient?: boolean | undefined;
  /** Table name (default `strongbox_kv`); matches `^[A-Za-z_][A-Za-z0-9_]*$`. */
  table?: string | undefined;
  /**
   * Ms to wait for another connection's write lock before failing with an unhealthy error
   * (default 5000). Only for `filename`: better-sqlite3 waits synchronously, blocking the
   * event loop for as long as it waits.
   */
  busyTimeout?: number | undefined;
  /**
   * The backend's clock in ms since the Unix epoch (default: SQLite's own clock, read by the
   * SQLite library from the operating system, not `Date.now()`). Every process sharing the
   * file must use the same clock: expiry times are stored in the file.
   */
  clock?: (() => number) | undefined;
  /** Ms between background purges of expired rows (default 60000; 0 turns them off). */
  purgeInterval?: number | undefined;
  /** Receives background purge failures as `PURGE_FAILED` KVErrors (default `process.emitWarning`). */
  onError?: ((error: KVError) => void) | undefined;
  /** Leave keys out of errors. */
  redactKeys?: boolean | undefined;
  /** Extra substrings that mark an error as unhealthy, matched case-insensitively. */
  connectionErrorPatterns?: readonly string[] | undefined;
}

/** {@link SqliteBackendOptions} checked, with defaults applied. */
export interface SqliteSettings {
  source: { filename: string } | { database: Database.Database; closeClient: boolean };
  table: string;
  busyTimeout: number;
  clock: (() => number) | undefined;
  purgeInterval: number;
  onError: (error: KVError) => void;
  redactKeys: boolean;
  connectionErrorPatterns: readonly string[];
}

/** The table used when none is given. */
export const DEFAULT_TABLE = 'strongbox_kv';
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** setInterval's largest delay; longer ones fire at once. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;
const KNOWN_OPTIONS = new Set([
  'filename',
  'database',
  'closeClient',
  'table',
  'busyTimeout',
  'clock',
  'purgeInterval',
  'onError',
  'redactKeys',
  'connectionErrorPatterns',
]);

/** Validate `options` and apply defaults; throws an `INVALID_CONFIG` KVError. */
export function resolveSqliteOptions(options: unknown): SqliteSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidConfig('options must be an object with `filename` or `database`');
  }
  const unknown = Object.keys(options).filter((name) => !KNOWN_OPTIONS.has(name));
  if (unknown.length > 0) throw invalidConfig(`unknown option(s): ${unknown.join(', ')}`);
  const o = options as Record<string, unknown>;
  const table = o.table ?? DEFAULT_TABLE;
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw invalidConfig(`table must match ${TABLE_NAME}`);
  }
  check(
    o.closeClient === undefined || typeof o.closeClient === 'boolean',
    'closeClient must be a boolean',
  );
  check(
    o.redactKeys === undefined || typeof o.redactKeys === 'boolean',
    'redactKeys must be a boolean',
  );
  check(o.clock === undefined || typeof o.clock === 'function', 'clock must be a function');
  check(o.onError === undefined || typeof o.onError === 'function', 'onError must be a function');
  check(
    o.connectionErrorPatterns === undefined ||
      (Array.isArray(o.connectionErrorPatterns) &&
        o.connectionErrorPatterns.every((p) => typeof p === 'string')),
    'connectionErrorPatterns must be an array of strings',
  );
  return {
    source: resolveSource(o),
    table,
    busyTimeout: timerOption(o.busyTimeout, 'busyTimeout', 5000),
    clock: o.clock as (() => number) | undefined,
    purgeInterval: timerOption(o.purgeInterval, 'purgeInterval', 60_000),
    onError:
      (o.onError as ((error: KVError) => void) | undefined) ??
      ((error) => process.emitWarning(error)),
    redactKeys: (o.redactKeys as boolean | undefined) ?? false,
    connectionErrorPatterns: (o.connectionErrorPatterns as string[] | undefined) ?? [],
  };
}

function resolveSource(o: Record<string, unknown>): SqliteSettings['source'] {
  const { filename, database } = o;
  if ((filename === undefined) === (database === undefined)) {
    throw invalidConfig('give exactly one of `filename` and `database`');
  }
  if (filename !== undefined) {
    check(
      typeof filename === 'string' && filename.length > 0,
      'filename must be a non-empty string',
    );
    check(o.closeClient === undefined, "`closeClient` only applies to a caller's `database`");
    return { filename: filename as string };
  }
  check(isDatabase(database), 'database must be a better-sqlite3 Database');
  check(
    o.busyTimeout === undefined,
    '`busyTimeout` only applies to `filename`: set it on your `database`',
  );
  return { database: database as Database.Database, closeClient: o.closeClient === true };
}

function isDatabase(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { prepare?: unknown }).prepare === 'function' &&
    typeof (value as { transaction?: unknown }).transaction === 'function'
  );
}

function timerOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  check(
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIMER_DELAY,
    `${name} must be an integer from 0 to ${MAX_TIMER_DELAY} ms`,
  );
  return value as number;
}

function check(ok: boolean, detail: string): void {
  if (!ok) throw invalidConfig(detail);
}

function invalidConfig(detail: string): KVError {
  return new KVError({ code: 'INVALID_CONFIG', backend: 'sqlite', detail });
}
