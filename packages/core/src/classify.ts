/**
 * Decides whether a driver error means "the backend is unreachable or unavailable".
 * Structured signals come first (Node's errno codes, then the adapter's own test of its
 * driver's codes and its server's replies); substring patterns are the fallback. Core knows no
 * driver: each adapter supplies what its driver and server say (the Postgres adapter its
 * SQLSTATEs, the Redis adapter its reply prefixes), and a third-party adapter does the same.
 */

/** Node errno codes that mean the network path to the server is broken. */
const NETWORK_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTCONN',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/** Default substring patterns of a lost or refused connection, matched case-insensitively. */
export const DEFAULT_CONNECTION_ERROR_PATTERNS: readonly string[] = [
  'connection refused',
  'connection reset',
  'broken pipe',
  'no such host',
  'network is unreachable',
  'i/o timeout',
  'connection timed out',
  'connection is closed',
  'connection closed',
];

/** How an adapter extends the classification. */
export interface ConnectionErrorClassifierOptions {
  /**
   * Extra substrings (case-insensitive), added to {@link DEFAULT_CONNECTION_ERROR_PATTERNS}:
   * the adapter's (its server's messages) and its users'.
   */
  patterns?: readonly string[] | undefined;
  /**
   * The driver's own structured test (its error codes, its server's error codes or reply
   * prefixes), tried on every error of the chain before the patterns.
   */
  isDriverConnectionError?: ((error: Error) => boolean) | undefined;
}

/** A function telling whether an error (or anything in its cause chain) is a connectivity failure. */
export type ConnectionErrorClassifier = (error: unknown) => boolean;

const MAX_DEPTH = 8;

/**
 * Build a classifier for one adapter instance. A caller's abort (an error named `AbortError`)
 * is never a connectivity failure, unless the driver's own test says it is one: drivers name
 * some of their own failures `AbortError` (ioredis: "Cluster is ended.").
 */
export function createConnectionErrorClassifier(
  options: ConnectionErrorClassifierOptions = {},
): ConnectionErrorClassifier {
  const patterns = [...DEFAULT_CONNECTION_ERROR_PATTERNS, ...(options.patterns ?? [])]
    .filter((pattern) => pattern.length > 0)
    .map((pattern) => pattern.toLowerCase());
  const driverTest = options.isDriverConnectionError;
  const matches = (error: Error): boolean => {
    if (hasStructuredSignal(error) || driverTest?.(error)) return true;
    const message = error.message.toLowerCase();
    return patterns.some((pattern) => message.includes(pattern));
  };
  // For anything else the driver's test runs as part of `matches`, on the whole cause chain.
  return (error) =>
    isAbort(error)
      ? error instanceof Error && driverTest?.(error) === true
      : someInChain(error, matches, 0);
}

/** True for a Node system error whose `code` says the network path to the server is broken. */
export function hasStructuredSignal(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && NETWORK_ERRNO.has(code);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function someInChain(error: unknown, test: (e: Error) => boolean, depth: number): boolean {
  if (!(error instanceof Error) || depth > MAX_DEPTH) return false;
  if (test(error)) return true;
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    if (error.errors.some((inner) => someInChain(inner, test, depth + 1))) return true;
  }
  return someInChain(error.cause, test, depth + 1);
}
