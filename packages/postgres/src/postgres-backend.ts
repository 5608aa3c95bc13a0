import {
  type CallContext,
  type ConnectionErrorClassifier,
  type Counter,
  checkOperationOptions,
  type Expiry,
  KVBackendBase,
  type KVError,
  type KVOperation,
  type OperationOptions,
  type PurgeSchedule,
  raceInterruptions,
  readOptions,
  startPurgeSchedule,
  type ValidationProblem,
} from '@strongbox/core';
import type { TableNames } from './identifiers.js';
import { cancelQuery } from './lanes/cancel-query.js';
import { ConnectionLanes } from './lanes/connection-lanes.js';
import { isRunning } from './lanes/porsager-internals.js';
import { type ReservedConnection, reservedConnectionSource } from './lanes/reserved-connection.js';
import type { PostgresClient, PostgresSettings } from './options.js';
import { STATEMENTS_PER_CONNECTION } from './postgres-client.js';
import { mayHaveBeenApplied, POSTGRES_SAFE_ERROR_FIELDS } from './postgres-errors.js';
import { type Statements, statementsFor } from './statements.js';
import { decodeValue, encodeValue } from './value-codec.js';

/** Rows read with `.raw()`: text cells as Buffers (null for SQL NULL), plus the row count. */
type RawRows = Buffer[][] & { count: number };

/** Default and largest `purgeExpired` batch. */
export const DEFAULT_PURGE_BATCH_SIZE = 1000;
const MAX_PURGE_BATCH_SIZE = 2 ** 31 - 1;
/** A lane that ran nothing for 1-2 s goes back to the pool (and to its `idleTimeout`). */
const LANE_LINGER_MS = 1000;
/**
 * How much longer than the operation deadline a lane may take to open: a call waiting for it
 * meets its own deadline first (TIMEOUT), and porsager's `connect_timeout` (the same by
 * default) reports before the lanes give up.
 */
const LANE_OPEN_GRACE_MS = 250;

/** Everything a {@link PostgresBackend} is built from; see `createPostgresBackend`. */
export interface PostgresBackendInit {
  sql: PostgresClient;
  /** The adapter built `sql` (from `url`), so it always ends it on close. */
  ownsClient: boolean;
  names: TableNames;
  settings: PostgresSettings;
  secrets: readonly string[];
  isConnectionError: ConnectionErrorClassifier;
}

/**
 * The PostgreSQL Strongbox backend: one row per key in one table, every operation one SQL
 * statement on porsager's `postgres` client. Create it with `createPostgresBackend`.
 */
export class PostgresBackend extends KVBackendBase {
  /** The `postgres` client; the adapter's own, or the one you gave. */
  readonly sql: PostgresClient;
  /** The quoted, schema-qualified table name, e.g. `"public"."strongbox_kv"`. */
  readonly table: string;
  readonly #statements: Statements;
  readonly #lanes: ConnectionLanes<ReservedConnection>;
  readonly #queryOptions: { prepare: boolean };
  readonly #ownsClient: boolean;
  readonly #closeClient: boolean;
  readonly #closeTimeout: number;
  readonly #purge: PurgeSchedule | undefined;

  /** Prefer `createPostgresBackend`, which validates options, connects and prepares the table. */
  constructor(init: PostgresBackendInit) {
    super({
      name: 'postgres',
      operationTimeout: init.settings.operationTimeout,
      redactKeys: init.settings.redactKeys,
      combine: init.settings.combine,
      isConnectionError: init.isConnectionError,
      secrets: init.secrets,
      safeErrorFields: POSTGRES_SAFE_ERROR_FIELDS,
    });
    this.sql = init.sql;
    this.table = init.names.table;
    this.#statements = statementsFor(init.names);
    this.#lanes = new ConnectionLanes(
      reservedConnectionSource(init.sql, STATEMENTS_PER_CONNECTION),
      {
        maxLanes: lanesFor(init.sql.options.max),
        perLane: STATEMENTS_PER_CONNECTION,
        lingerMs: LANE_LINGER_MS,
        openTimeoutMs: init.settings.operationTimeout + LANE_OPEN_GRACE_MS,
      },
    );
    // The client's own `prepare: false` still wins (porsager checks both).
    this.#queryOptions = { prepare: true };
    const { source } = init.settings;
    this.#ownsClient = init.ownsClient;
    this.#closeClient = init.ownsClient || (source.kind === 'sql' && source.closeClient);
    this.#closeTimeout = init.settings.operationTimeout;
    const { purgeInterval, onError } = init.settings;
    this.#purge =
      purgeInterval > 0
        ? startPurgeSchedule(
            purgeInterval,
            DEFAULT_PURGE_BATCH_SIZE,
            (n) => this.purgeExpired(n),
            onError,
          )
        : undefined;
  }

  /**
   * Delete up to `batchSize` expired rows and resolve how many were deleted. Safe from many
   * processes at once: each locks its candidates with `FOR UPDATE SKIP LOCKED`, and a key
   * re-created meanwhile is live again and stays.
   * Expired keys are absent whether purged or not; purging only reclaims space.
   */
  purgeExpired(batchSize = DEFAULT_PURGE_BATCH_SIZE, given?: OperationOptions): Promise<number> {
    const { options, problem: unreadable } = readOptions(given);
    const rejected = this.#purgeProblem(batchSize, options, unreadable);
    if (rejected !== undefined) return Promise.reject(rejected);
    return this.run('purge', undefined, options, (call) =>
      this.#execute(this.#statements.purge, [batchSize], countOf, call),
    );
  }

  protected doGet(key: string, call: CallContext): Promise<string | null> {
    return this.#execute(this.#statements.get, [key], storedValueOf, call);
  }

  protected doSet(key: string, value: string, expiry: Expiry, call: CallContext): Promise<void> {
    const params = [key, encodeValue(value), ttlOf(expiry), expiry === 'keep'];
    return this.#execute(this.#statements.set, params, nothing, call);
  }

  protected doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
    call: CallContext,
  ): Promise<boolean> {
    if (expected === null) {
      // An absent key has no expiry to keep, so 'keep' stores none.
      const params = [key, encodeValue(next), ttlOf(expiry)];
      return this.#execute(this.#statements.setIfAbsent, params, wroteOne, call);
    }
    const params = [
      key,
      encodeValue(next),
      ttlOf(expiry),
      expiry === 'keep',
      encodeValue(expected),
    ];
    return this.#execute(this.#statements.setIfEqual, params, wroteOne, call);
  }

  protected doCheckAndDelete(key: string, expected: string, call: CallContext): Promise<boolean> {
    const params = [key, encodeValue(expected)];
    return this.#execute(this.#statements.deleteIfEqual, params, wroteOne, call);
  }

  protected doDelete(key: string, call: CallContext): Promise<boolean> {
    return this.#execute(this.#statements.delete, [key], wroteOne, call);
  }

  /**
   * One statement (see `statements.ts`). When it wrote nothing, a second one says why; if the
   * value changed in between so that the increment would now succeed, it is tried again.
   * Each statement registers with the call, so an interrupted caller recalls whichever runs.
   */
  protected override doIncrement(
    key: string,
    delta: number,
    ttl: number,
    call: CallContext,
  ): Promise<Counter> {
    const params = [key, delta, ttl > 0 ? ttl : null];
    return this.#execute(this.#statements.increment, params, counterOf, call).then(
      (counter) => counter ?? this.#incrementRefused(key, delta, ttl, call),
    );
  }

  /** Why an increment wrote nothing (a KVError), or the result of trying it again. */
  async #incrementRefused(
    key: string,
    delta: number,
    ttl: number,
    call: CallContext,
  ): Promise<Counter> {
    const refusal = await this.#execute(
      this.#statements.incrementRefusal,
      [key, delta],
      refusalOf,
      call,
    );
    if (refusal === 'NOT_A_COUNTER' || refusal === 'COUNTER_OVERFLOW') {
      throw this.counterError(refusal, key);
    }
    return this.doIncrement(key, delta, ttl, call);
  }

  protected doPing(call: CallContext): Promise<void> {
    return this.#execute('SELECT 1', [], nothing, call);
  }

  protected async doClose(): Promise<void> {
    this.#purge?.stop();
    // Reserved connections go back to the pool as soon as their statements have settled.
    this.#lanes.close(CLOSED_WHILE_WAITING);
    if (!this.#closeClient) return;
    // Let statements already sent finish (bounded), then end the client. Only a caller's
    // client may still run statements of its own, so only it gets a graceful end: porsager
    // waits out the whole timeout for a connection that was cut mid-statement.
    const drained = this.#lanes.whenIdle();
    await raceInterruptions(drained, undefined, this.#closeTimeout, () => 'gave up').catch(
      () => {},
    );
    await this.sql.end({ timeout: this.#ownsClient ? 0 : this.#closeTimeout / 1000 });
  }

  /** Calls still queued when the backend closed were never sent: CLOSED, naming their op and key. */
  protected override driverFailure(
    op: KVOperation,
    key: string | undefined,
    error: unknown,
  ): KVError {
    if (error !== CLOSED_WHILE_WAITING) return super.driverFailure(op, key, error);
    return this.kvError({
      code: 'CLOSED',
      op,
      key,
      detail: 'the backend was closed while the call waited',
    });
  }

  protected override mayHaveBeenApplied(error: unknown): boolean {
    return mayHaveBeenApplied(error);
  }

  /**
   * The contract's checks for purgeExpired, in its order: CLOSED, invalid arguments (options
   * that could not be read among them), ABORTED.
   */
  #purgeProblem(
    batchSize: number,
    options: OperationOptions | undefined,
    unreadable: ValidationProblem | undefined,
  ): KVError | undefined {
    const invalidBatch =
      !Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_PURGE_BATCH_SIZE;
    const problem: ValidationProblem | undefined = invalidBatch
      ? {
          code: 'INVALID_CONFIG',
          detail: `batchSize must be an integer from 1 to ${MAX_PURGE_BATCH_SIZE}`,
        }
      : (unreadable ?? checkOperationOptions(options));
    return this.rejectionBeforeIO('purge', undefined, options, problem);
  }

  /**
   * Run one statement on a lane. If the caller gives up on it, a statement still waiting for
   * a slot leaves the queue and is never sent, and one the server is running is cancelled (a
   * row-lock wait or a long purge stops holding its connection). Like any PostgreSQL cancel
   * request, it can in rare timing hit the next statement on that connection, which then fails
   * with SQLSTATE 57014 (not applied, reported determinate). A statement sent but queued
   * behind another one is left to run: porsager mismatches results when such a statement is
   * cancelled.
   */
  #execute<T>(
    text: string,
    params: unknown[],
    read: (rows: RawRows) => T,
    call: CallContext,
  ): Promise<T> {
    // The caller already left (before a second statement of one call): send nothing.
    if (call.interrupted !== undefined) return Promise.reject(WITHDRAWN);
    let query: object | undefined;
    const admission = this.#lanes.run((connection) => {
      query = connection.send(text, params, this.#queryOptions);
      return query as unknown as Promise<RawRows>;
    });
    call.onInterrupt(() => {
      if (admission.withdraw(WITHDRAWN)) return;
      if (query !== undefined && isRunning(query)) cancelQuery(query);
    });
    return admission.promise.then(read);
  }
}

/**
 * Lanes for a pool of `max` connections: all but one, so queries of your own on `sql` always
 * find a connection however busy the backend is.
 */
function lanesFor(max: number): number {
  return Math.max(1, max - 1);
}

/** Rejection of a call withdrawn from the queue; nobody sees it (its caller already left). */
const WITHDRAWN = new Error('withdrawn before it was sent');
const CLOSED_WHILE_WAITING = new Error('closed before it was sent');

/** The TTL parameter: ms, or NULL for no expiry (and for 'keep', whose SQL ignores it). */
function ttlOf(expiry: Expiry): number | null {
  return typeof expiry === 'number' && expiry > 0 ? expiry : null;
}

/** The increment's `[value, ttl]` row, or undefined when it wrote nothing. */
function counterOf(rows: RawRows): Counter | undefined {
  const row = rows[0];
  if (row === undefined) return undefined;
  const [value, ttl] = row as [Buffer, Buffer | null];
  return { value: Number(value.toString()), ttl: ttl === null ? null : Number(ttl.toString()) };
}

function storedValueOf(rows: RawRows): string | null {
  const hex = rows[0]?.[0];
  return hex === undefined ? null : decodeValue(hex);
}

/** Which refusal the refusal statement named, if any. */
function refusalOf(rows: RawRows): string | undefined {
  return rows[0]?.[0]?.toString();
}

function nothing(): undefined {
  return undefined;
}

function wroteOne(rows: RawRows): boolean {
  return rows.count === 1;
}

function countOf(rows: RawRows): number {
  return rows.count;
}
