/**
 * The only module that touches porsager's undocumented internals. Each accessor names what the
 * adapter relies on; `test/porsager-internals.test.ts` checks every hook against a real server
 * and fails when the installed porsager is outside {@link VERIFIED_PORSAGER_VERSIONS}. Moving
 * that range means reading porsager's `src/connection.js`, `src/index.js` and `src/query.js`
 * again for each hook below.
 */

/** The porsager versions these hooks were verified against: from `from`, below `below`. */
export const VERIFIED_PORSAGER_VERSIONS = { from: '3.4.9', below: '3.5.0' } as const;

const VERIFIED_RANGE = `>=${VERIFIED_PORSAGER_VERSIONS.from} <${VERIFIED_PORSAGER_VERSIONS.below}`;

declare const driverConnection: unique symbol;

/** porsager's connection object (`Connection()` in its `src/connection.js`); opaque elsewhere. */
export interface DriverConnection {
  readonly [driverConnection]: true;
}

/** The fields of porsager's connection object the adapter uses. */
interface ConnectionInternals {
  queue: unknown;
  onclose?: ((error: Error) => void) | null;
  terminate(): void;
}

/** The fields of porsager's `Query` (its `src/query.js`) the adapter uses. */
interface QueryInternals {
  active?: unknown;
  canceller?: ((query: object) => Promise<unknown>) | null;
  reject?: (error: unknown) => void;
}

function internalsOf(connection: DriverConnection): ConnectionInternals {
  return connection as unknown as ConnectionInternals;
}

/**
 * `onexecute` (a query option): porsager calls it with the connection object when it writes
 * the statement, but only while the connection can take one more (not after a statement it
 * describes first, not past `max_pipeline`), and reads its return value as "the connection can
 * take more". `options` go into `sql.unsafe`; `captured()` is the connection, once written.
 */
export function captureConnection(): {
  options: object;
  captured: () => DriverConnection | undefined;
} {
  let connection: DriverConnection | undefined;
  const onexecute = (driverConnection: DriverConnection) => {
    connection = driverConnection;
    return true;
  };
  return { options: { onexecute }, captured: () => connection };
}

/**
 * `connection.queue`: the pool list porsager keeps the connection on. A reserved connection
 * is on the reserved list while a statement sent to it goes out at once, and on the `full`
 * list while porsager would hold one back; lists are compared by identity.
 */
export function poolListOf(connection: DriverConnection): unknown {
  return internalsOf(connection).queue;
}

/**
 * `connection.onclose`: porsager calls it once, with the close error, when the connection
 * closes (its pool's `onclose`), then clears it. `null` stops watching.
 */
export function onConnectionClose(
  connection: DriverConnection,
  listener: ((error: Error) => void) | null,
): void {
  internalsOf(connection).onclose = listener;
}

/** `connection.terminate()`: close the socket now; the pool slot reconnects when next needed. */
export function terminateConnection(connection: DriverConnection): void {
  internalsOf(connection).terminate();
}

/**
 * `query.reject(error)`: settle a query porsager left hanging (a settled one ignores it, as
 * its promise is already settled).
 */
export function failQuery(query: object, error: unknown): void {
  (query as QueryInternals).reject?.(error);
}

/**
 * `max_pipeline`, a client option porsager reads (its `src/index.js`, default 100) but neither
 * documents nor declares in its types: how many statements one connection may have in flight.
 * Returns `options` with it set to `depth`.
 */
export function withMaxPipeline<T extends object>(options: T, depth: number): T {
  return { ...options, max_pipeline: depth };
}

/** A client's `max_pipeline` as porsager parsed it (undefined if it keeps none). */
export function maxPipelineOf(sql: { options: object }): unknown {
  return (sql.options as { max_pipeline?: unknown }).max_pipeline;
}

/**
 * Whether `query` is the one its connection's server process is running now (porsager's
 * `query.active`, true from when the connection starts the statement until it settles).
 * Cancelling any other is unsafe: one not yet sent may be what its connection opens with
 * (porsager then strands that connection), and one pipelined behind another makes porsager
 * hand its result to the next query.
 */
export function isRunning(query: object): boolean {
  return (query as QueryInternals).active === true;
}

/**
 * `query.canceller`: what porsager's `query.cancel()` calls once (it then clears it) to send
 * the server a cancel request; it returns the request's promise, which `cancel()` drops.
 * Takes it off `query` (so a later `cancel()` does nothing) and returns it bound to `query`.
 */
export function takeCanceller(query: object): (() => Promise<unknown>) | undefined {
  const target = query as QueryInternals;
  const { canceller } = target;
  if (typeof canceller !== 'function') return undefined;
  target.canceller = null;
  return () => canceller(query);
}

/**
 * Why `sql`'s porsager lacks the query hooks above (`undefined` when it has them). No I/O:
 * the query it inspects is never sent (porsager sends a query only once it is awaited or
 * `.execute()`d). The connection hooks can only be seen on a connection; see
 * {@link unsupportedConnection}.
 */
export function unsupportedDriver(sql: { unsafe(text: string): object }): string | undefined {
  const { active, canceller, reject } = sql.unsafe('SELECT 1') as QueryInternals;
  if (typeof active !== 'boolean') return unsupported('its queries have no `active` flag');
  if (typeof canceller !== 'function') return unsupported('its queries have no `canceller`');
  if (typeof reject !== 'function') return unsupported('its queries have no `reject`');
  return undefined;
}

/**
 * Why the connection `captureConnection` saw (`undefined`: it saw none) lacks the hooks above;
 * `undefined` when it has them.
 */
export function unsupportedConnection(
  connection: DriverConnection | undefined,
): string | undefined {
  if (connection === undefined) return unsupported('`onexecute` was not called');
  const { queue, terminate } = internalsOf(connection);
  if (typeof queue !== 'object' || queue === null) {
    return unsupported('its connection has no `queue`');
  }
  if (typeof terminate !== 'function') return unsupported('its connection has no `terminate`');
  return undefined;
}

function unsupported(what: string): string {
  return `unsupported postgres (porsager) version: ${what}; @strongbox/postgres relies on internals verified with postgres ${VERIFIED_RANGE}`;
}
