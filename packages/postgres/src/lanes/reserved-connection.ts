import type { PendingQuery, ReservedSql, Row } from 'postgres';
import type { PostgresClient } from '../options.js';
import { connectionLost } from '../postgres-errors.js';
import type { LaneSource } from './lane-source.js';
import {
  captureConnection,
  type DriverConnection,
  failQuery,
  onConnectionClose,
  poolListOf,
  terminateConnection,
  unsupportedConnection,
} from './porsager-internals.js';

type Query = PendingQuery<Row[]>;
type Reserved = ReservedSql<Record<string, never>>;

/**
 * One connection of the client's pool reserved for a lane: its statements go straight to it,
 * never through the pool's dispatch.
 *
 * A reserved `sql` cannot tell that its connection closed, and porsager leaves some statements
 * unsettled forever when it does: those sent between a socket error and the socket's close,
 * and those it holds back while the connection is full. So this keeps porsager's connection
 * object (handed over by the first statement's `onexecute`) to see that it closed, to fail
 * what porsager left hanging, and to pipeline only while the connection is not full.
 *
 * porsager's `max_lifetime` timer only marks a reserved connection as ending; handed back
 * after that, it sits in the pool as a zombie that the next statement on the pool terminates.
 * So a reserved connection retires itself at `retireAt`, a margin before porsager's lifetime
 * would end it: it takes no more work, and is closed (not handed back) once idle.
 */
export class ReservedConnection {
  readonly #sql: Reserved;
  readonly #connection: DriverConnection;
  /** porsager's list of reserved connections that can take another statement now. */
  readonly #reservedList: unknown;
  /** The last statements sent; any still in flight is among them. */
  readonly #recent: Array<Query | undefined>;
  /** `performance.now()` time from which the connection takes no more work. */
  readonly #retireAt: number;
  #next = 0;
  #lost = false;

  constructor(sql: Reserved, connection: DriverConnection, inFlight: number, retireAt: number) {
    this.#sql = sql;
    this.#connection = connection;
    this.#retireAt = retireAt;
    this.#reservedList = poolListOf(connection);
    this.#recent = new Array(inFlight);
    onConnectionClose(connection, (error) => this.#closed(error));
  }

  /** Whether statements can still be sent on it. */
  get alive(): boolean {
    return !this.#lost;
  }

  /** Whether it is too old for more work (see the class comment). */
  get retiring(): boolean {
    return performance.now() >= this.#retireAt;
  }

  /** Whether a statement sent now goes out at once rather than waiting inside porsager. */
  get acceptsMore(): boolean {
    return poolListOf(this.#connection) === this.#reservedList;
  }

  /** Send one statement, reading text cells as Buffers (`.raw()`). */
  send(text: string, params: unknown[], options: { prepare: boolean }): Query {
    const query = this.#sql.unsafe(text, params as never[], options).raw() as unknown as Query;
    this.#recent[this.#next] = query;
    this.#next = (this.#next + 1) % this.#recent.length;
    return query;
  }

  /** A statement failed: a lost connection (see `connectionLost`) takes no more statements. */
  noteFailure(error: unknown): void {
    if (connectionLost(error)) this.#lost = true;
  }

  /** Hand the connection back to the pool, or close it once it is retiring. */
  release(): void {
    onConnectionClose(this.#connection, null);
    if (this.retiring) terminateConnection(this.#connection);
    else this.#sql.release();
  }

  #closed(error: Error): void {
    this.#lost = true;
    // Settled statements ignore this; one porsager left hanging fails like the others did.
    for (const query of this.#recent) if (query !== undefined) failQuery(query, error);
  }
}

/**
 * Lanes on reserved connections of `sql`'s pool, each carrying up to `inFlight` statements.
 * (porsager can lose a reservation that waits for a busy pool; the lanes' `openTimeoutMs`
 * bounds that wait.)
 */
export function reservedConnectionSource(
  sql: PostgresClient,
  inFlight: number,
): LaneSource<ReservedConnection> {
  const keepFor = keepForMs(sql.options.max_lifetime);
  return {
    open: () => reserve(sql, inFlight, keepFor),
    isAlive: (connection) => connection.alive,
    noteFailure: (connection, error) => connection.noteFailure(error),
    acceptsMore: (connection) => connection.acceptsMore,
    isRetiring: (connection) => connection.retiring,
    release: (connection) => connection.release(),
  };
}

/** porsager's default `max_lifetime` draws 30 to 60 minutes per connection. */
const DEFAULT_LIFETIME_FLOOR_MS = 30 * 60_000;
/** The most a connection retires before its lifetime ends. */
const MAX_RETIRE_MARGIN_MS = 60_000;

/**
 * How long after it connected a connection may serve a lane: a margin (a quarter of the
 * lifetime, at most a minute) before the shortest lifetime porsager may give it. `option` is
 * porsager's parsed `max_lifetime`: seconds, null or 0 for none, or a function drawn once per
 * connection (porsager's own default draws 30 to 60 minutes; a function can't be asked for
 * its floor, so that default's floor is assumed).
 */
export function keepForMs(option: unknown): number {
  const lifetime =
    typeof option === 'function'
      ? DEFAULT_LIFETIME_FLOOR_MS
      : typeof option === 'number' && option > 0
        ? option * 1000
        : Number.POSITIVE_INFINITY;
  return lifetime - Math.min(lifetime / 4, MAX_RETIRE_MARGIN_MS);
}

/**
 * The reservation's probe: how long ago (ms) the server session started, which is when
 * porsager's lifetime timer for this connection started, give or take the connect time.
 */
const SESSION_AGE_PROBE = `SELECT (extract(epoch FROM clock_timestamp() - backend_start) * 1000)::float8
FROM pg_catalog.pg_stat_activity WHERE pid = pg_backend_pid()`;

async function reserve(
  sql: PostgresClient,
  inFlight: number,
  keepFor: number,
): Promise<ReservedConnection> {
  // porsager 3.4.9 mishandles a reservation that has to open a connection: with
  // `fetch_types: false` it never resolves, and if connecting fails the connection that later
  // serves it is lost to the pool. A statement on the pool opens (or finds) a connection and
  // leaves it idle in the pool, where the reservation right after takes it. (Lanes open one
  // at a time, so only your own queries on the same pool could take it first.)
  await sql.unsafe('SELECT 1');
  const reserved = (await sql.reserve()) as Reserved;
  // Sent in the same tick the reservation resolved, so the connection cannot have closed yet.
  const capture = captureConnection();
  const probedAt = performance.now();
  let age: number | undefined;
  try {
    const rows = await reserved.unsafe(SESSION_AGE_PROBE, [], capture.options as never).values();
    age = (rows[0] as unknown[] | undefined)?.[0] as number | undefined;
  } catch (error) {
    // A connection that is gone went back to the pool by itself; a live one must be handed back.
    if (!connectionLost(error)) reserved.release();
    throw error;
  }
  const connection = capture.captured();
  const unsupported = unsupportedConnection(connection);
  if (connection === undefined || unsupported !== undefined) {
    reserved.release();
    throw new Error(unsupported);
  }
  // A server that does not show the session's age (no row) gets lifetimes counted from now.
  const bornAt = probedAt - (typeof age === 'number' ? age : 0);
  return new ReservedConnection(reserved, connection, inFlight, bornAt + keepFor);
}
