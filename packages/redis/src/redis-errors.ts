import { type ConnectionErrorClassifier, createConnectionErrorClassifier } from '@strongbox/core';

/**
 * What ioredis' errors and Redis' replies say about connectivity and about whether a command
 * was sent: the Redis half of core's driver-neutral classifier.
 */

/** Redis error reply prefixes of a server that cannot serve right now. */
const UNAVAILABLE_REPLY = /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/;

/** ioredis error classes that mean Redis cannot be reached: retries exhausted, every node failed. */
const CONNECTION_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

/**
 * Starts of ioredis' own messages (it gives them no code) for a client that cannot reach or use
 * its server. "Connection is closed" is among core's default patterns already.
 */
const CONNECTION_ERROR_MESSAGES = [
  "Stream isn't writeable",
  "Cluster isn't ready",
  'Cluster is ended',
  'Cluster is disconnect',
  'None of startup nodes is available',
  'Failed to refresh slots cache',
  'Too many Cluster redirections',
  'Command timed out',
  'Socket timeout',
  'Ready check failed',
  'Command aborted due to connection close',
];

/**
 * Messages of failures ioredis raises before writing the command (its offline queue is
 * disabled and the connection is down): the command certainly was not applied.
 */
const NOT_SENT_MESSAGES = [
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
];

/**
 * True for an ioredis error, or a Redis reply (`LOADING`, `MASTERDOWN`, `CLUSTERDOWN`,
 * `TRYAGAIN`), that means the server is unreachable or cannot serve right now.
 */
export function isIoredisConnectionError(error: Error): boolean {
  return (
    CONNECTION_ERROR_NAMES.has(error.name) ||
    UNAVAILABLE_REPLY.test(error.message) ||
    CONNECTION_ERROR_MESSAGES.some((start) => error.message.startsWith(start))
  );
}

/** True when ioredis rejected the command without sending it. */
export function wasNeverSent(error: unknown): boolean {
  return error instanceof Error && NOT_SENT_MESSAGES.includes(error.message);
}

/**
 * Core's classifier with ioredis' structured signals (which also cover the errors ioredis
 * names `AbortError`, such as "Cluster is ended.").
 */
export function createRedisErrorClassifier(patterns: readonly string[]): ConnectionErrorClassifier {
  return createConnectionErrorClassifier({
    patterns,
    isDriverConnectionError: isIoredisConnectionError,
  });
}
