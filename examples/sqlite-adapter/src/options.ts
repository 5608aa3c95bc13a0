import { type AdapterOptions, type KVError, readAdapterOptions } from '@strongbox/core';
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
  /** Receives background purge failures as `PURGE_FAILED` KVErrors (default: core's `emitWarning`). */
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
const KNOWN_OPTIONS = [
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
] satisfies (keyof SqliteBackendOptions)[];

/** Validate `options` with core's option checks and apply defaults; throws an `INVALID_CONFIG` KVError. */
export function resolveSqliteOptions(options: unknown): SqliteSettings {
  const o = readAdapterOptions('sqlite', options, {
    known: KNOWN_OPTIONS,
    optional: false,
    expects: 'with `filename` or `database`',
  });
  const table = o.given.table ?? DEFAULT_TABLE;
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw o.invalid(`table must match ${TABLE_NAME}`);
  }
  const closeClient = o.boolean('closeClient', false);
  const redactKeys = o.boolean('redactKeys', false);
  const clock = o.callback<() => number>('clock');
  const onError = o.onError();
  const connectionErrorPatterns = o.strings('connectionErrorPatterns');
  return {
    source: resolveSource(o, closeClient),
    table,
    busyTimeout: o.interval('busyTimeout', 5000, 0),
    clock,
    purgeInterval: o.interval('purgeInterval', 60_000, 0),
    onError,
    redactKeys,
    connectionErrorPatterns,
  };
}

function resolveSource(o: AdapterOptions, closeClient: boolean): SqliteSettings['source'] {
  const { filename, database } = o.given;
  if ((filename === undefined) === (database === undefined)) {
    throw o.invalid('give exactly one of `filename` and `database`');
  }
  if (filename !== undefined) {
    check(
      o,
      typeof filename === 'string' && filename.length > 0,
      'filename must be a non-empty string',
    );
    check(
      o,
      o.given.closeClient === undefined,
      "`closeClient` only applies to a caller's `database`",
    );
    return { filename: filename as string };
  }
  check(o, isDatabase(database), 'database must be a better-sqlite3 Database');
  check(
    o,
    o.given.busyTimeout === undefined,
    '`busyTimeout` only applies to `filename`: set it on your `database`',
  );
  return { database: database as Database.Database, closeClient };
}

function isDatabase(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { prepare?: unknown }).prepare === 'function' &&
    typeof (value as { transaction?: unknown }).transaction === 'function'
  );
}

function check(o: AdapterOptions, ok: boolean, detail: string): void {
  if (!ok) throw o.invalid(detail);
}
