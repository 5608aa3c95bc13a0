import type { PendingQuery, ReservedSql, Row } from 'postgres';
import type { LaneSource } from './connection-lanes.js';
import { connectionLost } from './driver-errors.js';
import type { PostgresClient } from './options.js';

/**
 * porsager's (3.4) connection object, as far as the adapter uses it: `queue` is the pool list
 * the connection is on; `onclose` is called once when it closes.
 */
interface DriverConnection {
  queue: unknown;
  onclose: ((error: Error) => void) | null;
}

type Query = PendingQuery<Row[]> & { reject(error: unknown): void };
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
 */
export class ReservedConnection {
  readonly #sql: Reserved;
  readonly #connection: DriverConnection;
  /** porsager's list of reserved connections that can take another statement now. */
  readonly #reservedList: unknown;
  /** The last statements sent; any still in flight is among them. */
  readonly #recent: Array<Query | undefined>;
  #next = 0;
  #lost = false;

  constructor(sql: Reserved, connection: DriverConnection, inFlight: number) {
    this.#sql = sql;
    this.#connection = connection;
    this.#reservedList = connection.queue;
    this.#recent = new Array(inFlight);
    connection.onclose = (error) => this.#closed(error);
  }

  /** Whether statements can still be sent on it. */
  get alive(): boolean {
    return !this.#lost;
  }

  /** Whether a statement sent now goes out at once rather than waiting inside porsager. */
  get acceptsMore(): boolean {
    return this.#connection.queue === this.#reservedList;
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

  /** Hand the connection back to the pool. */
  release(): void {
    this.#connection.onclose = null;
    this.#sql.release();
  }

  #closed(error: Error): void {
    this.#lost = true;
    // Settled statements ignore this; one porsager left hanging fails like the others did.
    for (const query of this.#recent) query?.reject(error);
  }
}

/**
 * Lanes on reserved connections of `sql`'s pool, each carrying up to `inFlight` statements.
 * (porsager can lose a reservation that waits for a busy pool; the lanes' `openTimeoutMs`
 * bounds that wait.)
 */
export function reservedConnections(
  sql: PostgresClient,
  inFlight: number,
): LaneSource<ReservedConnection> {
  return {
    open: () => reserve(sql, inFlight),
    isAlive: (connection) => connection.alive,
    noteFailure: (connection, error) => connection.noteFailure(error),
    acceptsMore: (connection) => connection.acceptsMore,
    release: (connection) => connection.release(),
  };
}

async function reserve(sql: PostgresClient, inFlight: number): Promise<ReservedConnection> {
  // porsager 3.4.9 mishandles a reservation that has to open a connection: with
  // `fetch_types: false` it never resolves, and if connecting fails the connection that later
  // serves it is lost to the pool. A statement on the pool opens (or finds) a connection and
  // leaves it idle in the pool, where the reservation right after takes it. (Lanes open one
  // at a time, so only your own queries on the same pool could take it first.)
  await sql.unsafe('SELECT 1');
  const reserved = (await sql.reserve()) as Reserved;
  // Sent in the same tick the reservation resolved, so the connection cannot have closed yet.
  let connection: DriverConnection | undefined;
  const capture = (driverConnection: DriverConnection) => {
    connection = driverConnection;
    return true; // porsager's "the connection can take more" answer
  };
  try {
    await reserved.unsafe('SELECT 1', [], { onexecute: capture } as never);
  } catch (error) {
    // A connection that is gone went back to the pool by itself; a live one must be handed back.
    if (!connectionLost(error)) reserved.release();
    throw error;
  }
  if (connection === undefined) {
    reserved.release();
    throw new Error('porsager did not hand over the reserved connection');
  }
  return new ReservedConnection(reserved, connection, inFlight);
}
