/**
 * Decides whether a driver error means "the backend is unreachable or unavailable".
 * Structured signals come first (Node errno, SQLSTATE, Redis error prefixes, driver codes);
 * substring patterns are the fallback.
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

/** SQLSTATEs outside class 08 that mean the server is going away or full. */
const UNAVAILABLE_SQLSTATE = new Set(['57P01', '57P02', '57P03', '53300']);

/** Redis error reply prefixes of a server that cannot serve right now. */
const UNAVAILABLE_REDIS_REPLY = /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/;

/** Default substring patterns, matched case-insensitively. */
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
  'server closed the connection',
  'terminating connection',
  'the database system is starting up',
  'the database system is shutting down',
  'too many clients',
];

/** How an adapter extends the classification. */
export interface ConnectionErrorClassifierOptions {
  /** Extra substrings (case-insensitive), added to {@link DEFAULT_CONNECTION_ERROR_PATTERNS}. */
  patterns?: readonly string[] | undefined;
  /** The driver's own structured test, tried on every error of the chain before the patterns. */
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

/** True for errors whose structured fields alone say "unreachable or unavailable". */
export function hasStructuredSignal(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_ERRNO.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && (code.startsWith('08') || UNAVAILABLE_SQLSTATE.has(code))) {
      return true;
    }
  }
  return UNAVAILABLE_REDIS_REPLY.test(error.message);
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
