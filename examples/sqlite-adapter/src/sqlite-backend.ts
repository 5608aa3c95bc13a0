import {
  type Counter,
  createConnectionErrorClassifier,
  type Expiry,
  KVBackendBase,
  type PurgeSchedule,
  parseCounter,
  startPurgeSchedule,
} from '@strongbox/core';
import type Database from 'better-sqlite3';
import type { SqliteSettings } from './options.js';
import { isUnavailableSqliteError, mayHaveCommitted } from './sqlite-errors.js';
import { prepareStatements, type Statements } from './statements.js';

/** What a {@link SqliteBackend} is built from; see {@link createSqliteBackend}. */
export interface SqliteBackendInit {
  /** The connection, its table already set up. */
  database: Database.Database;
  settings: SqliteSettings;
}

/** SQLite's clock counts whole milliseconds. */
const SQLITE_CLOCK_RESOLUTION_MS = 1;

/** Rows removed per purge statement, so one purge never holds the write lock for long. */
export const PURGE_BATCH_SIZE = 1000;

/**
 * A Strongbox backend on one SQLite table, through a better-sqlite3 connection. Create it with
 * {@link createSqliteBackend}. Every write runs in a `BEGIN IMMEDIATE` transaction that reads
 * the clock and the current row under SQLite's write lock, so operations are atomic across
 * every connection and process sharing the file.
 *
 * better-sqlite3 is synchronous: each call does its work before it returns its promise, so a
 * `signal` or `timeout` can only stop a call before it starts. Waiting for another process's
 * lock is bounded by the busy timeout instead.
 */
export class SqliteBackend extends KVBackendBase {
  /** The better-sqlite3 connection (yours, when you passed `database`). */
  readonly database: Database.Database;
  readonly #statements: Statements;
  readonly #clock: (() => number) | undefined;
  /** How much later than a reading the true time may be: 1 ms for SQLite's clock, 0 for yours. */
  readonly #clockResolution: number;
  readonly #closesDatabase: boolean;
  readonly #purges: PurgeSchedule | undefined;
  readonly #setTx: Database.Transaction<(key: string, value: string, expiry: Expiry) => void>;
  readonly #checkAndSetTx: Database.Transaction<
    (key: string, expected: string | null, next: string, expiry: Expiry) => boolean
  >;
  readonly #checkAndDeleteTx: Database.Transaction<(key: string, expected: string) => boolean>;
  readonly #deleteTx: Database.Transaction<(key: string) => boolean>;
  readonly #incrementTx: Database.Transaction<(key: string, delta: number, ttl: number) => Counter>;
  readonly #purgeTx: Database.Transaction<(limit: number) => number>;

  /** Use {@link createSqliteBackend}, which opens the file and creates the table first. */
  constructor({ database, settings }: SqliteBackendInit) {
    super({
      name: 'sqlite',
      redactKeys: settings.redactKeys,
      isConnectionError: createConnectionErrorClassifier({
        patterns: settings.connectionErrorPatterns,
        isDriverConnectionError: isUnavailableSqliteError,
      }),
    });
    this.database = database;
    this.#statements = prepareStatements(database, settings.table);
    this.#clock = settings.clock;
    this.#clockResolution = settings.clock === undefined ? SQLITE_CLOCK_RESOLUTION_MS : 0;
    this.#closesDatabase = 'filename' in settings.source || settings.source.closeClient;
    const s = this.#statements;

    this.#setTx = database.transaction((key, value, expiry) => {
      const now = this.#now();
      const live = expiry === 'keep' && s.getLive.get({ key, now }) !== undefined;
      this.#store(key, value, expiry, live, now);
    });
    this.#checkAndSetTx = database.transaction((key, expected, next, expiry) => {
      const now = this.#now();
      const current = s.getLive.get({ key, now }) ?? null;
      if (current !== expected) return false;
      this.#store(key, next, expiry, current !== null, now);
      return true;
    });
    this.#checkAndDeleteTx = database.transaction(
      (key, expected) => s.deleteIfValue.run({ key, expected, now: this.#now() }).changes === 1,
    );
    // Removes an expired row too, but reports only a live one as deleted.
    this.#deleteTx = database.transaction(
      (key) => s.deleteReturningLive.get({ key, now: this.#now() }) === 1,
    );
    this.#incrementTx = database.transaction((key, delta, ttl) => {
      const now = this.#now();
      const row = s.increment.get({ key, delta, now, expiresAt: this.#expiresAt(ttl, now) });
      if (row === undefined) {
        // Nothing was written; the same transaction still sees the value that refused it.
        const current = s.getLive.get({ key, now }) ?? '';
        const code = parseCounter(current) === undefined ? 'NOT_A_COUNTER' : 'COUNTER_OVERFLOW';
        throw this.counterError(code, key);
      }
      return { value: row.value, ttl: this.#remainingTtl(row.expiresAt, now) };
    });
    this.#purgeTx = database.transaction(
      (limit) => s.purgeExpired.run({ now: this.#now(), limit }).changes,
    );

    this.#purges =
      settings.purgeInterval > 0
        ? startPurgeSchedule(
            settings.purgeInterval,
            PURGE_BATCH_SIZE,
            (batchSize) => this.#purgeThenYield(batchSize),
            settings.onError,
          )
        : undefined;
  }

  /**
   * Delete up to `batchSize` expired rows and resolve how many were deleted. Expired keys are
   * absent whether purged or not; purging only frees space. Safe from many processes at once:
   * the statement re-checks expiry under the write lock, so a key re-created meanwhile stays.
   */
  purgeExpired(batchSize = PURGE_BATCH_SIZE): Promise<number> {
    if (this.closed) {
      return Promise.reject(
        this.kvError({ code: 'CLOSED', op: 'purge', detail: 'the backend is closed' }),
      );
    }
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      return Promise.reject(
        this.kvError({
          code: 'INVALID_CONFIG',
          op: 'purge',
          detail: 'batchSize must be a positive integer',
        }),
      );
    }
    return this.run('purge', undefined, undefined, async () => this.#purgeTx.immediate(batchSize));
  }

  protected async doGet(key: string): Promise<string | null> {
    return this.#statements.getLive.get({ key, now: this.#now() }) ?? null;
  }

  protected async doSet(key: string, value: string, expiry: Expiry): Promise<void> {
    this.#setTx.immediate(key, value, expiry);
  }

  protected async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    return this.#checkAndSetTx.immediate(key, expected, next, expiry);
  }

  protected async doCheckAndDelete(key: string, expected: string): Promise<boolean> {
    return this.#checkAndDeleteTx.immediate(key, expected);
  }

  protected async doDelete(key: string): Promise<boolean> {
    return this.#deleteTx.immediate(key);
  }

  protected override async doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    return this.#incrementTx.immediate(key, delta, ttl);
  }

  protected async doPing(): Promise<void> {
    // Reads the table, so a file that became unreadable fails here.
    this.#statements.ping.get();
  }

  protected async doClose(): Promise<void> {
    this.#purges?.stop();
    if (this.#closesDatabase) this.database.close();
  }

  protected override mayHaveBeenApplied(error: unknown): boolean {
    return mayHaveCommitted(error);
  }

  /** Write `value`; `live` says whether the key currently has a live value (for `'keep'`). */
  #store(key: string, value: string, expiry: Expiry, live: boolean, now: number): void {
    if (expiry === 'keep' && live) {
      this.#statements.replaceValue.run({ key, value });
      return;
    }
    const expiresAt = expiry === 'keep' ? null : this.#expiresAt(expiry, now);
    this.#statements.upsert.run({ key, value, expiresAt });
  }

  /** The expiry of a write at clock reading `now` with `ttl` (0: none). */
  #expiresAt(ttl: number, now: number): number | null {
    // A reading of t means the write happened during [t, t + resolution): expiring at
    // t + resolution + ttl keeps the key for at least ttl and at most ttl + resolution.
    return ttl === 0 ? null : now + this.#clockResolution + ttl;
  }

  /**
   * The whole ms a key expiring at `expiresAt` surely has left after clock reading `now` (the
   * true time may be up to a resolution later), rounded up, at least 1; null for no expiry. A
   * counter just created with `ttl` reports exactly `ttl`.
   */
  #remainingTtl(expiresAt: number | null, now: number): number | null {
    if (expiresAt === null) return null;
    return Math.max(1, Math.ceil(expiresAt - now - this.#clockResolution));
  }

  #now(): number {
    const now = this.#clock === undefined ? this.#statements.sqliteNow.get() : this.#clock();
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new TypeError(`the clock returned ${String(now)}, not a finite number of ms`);
    }
    return now;
  }

  /**
   * One batch of the background purge, then a turn of the event loop before the next:
   * better-sqlite3 blocks the loop while a batch runs.
   */
  async #purgeThenYield(batchSize: number): Promise<number> {
    const deleted = await this.purgeExpired(batchSize);
    await new Promise((resolve) => setImmediate(resolve));
    return deleted;
  }
}
