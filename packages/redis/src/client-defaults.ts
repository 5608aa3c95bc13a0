import type { ClusterOptions, RedisOptions } from 'ioredis';

/**
 * Defaults of the clients the adapter builds (callers may override each): a storage layer
 * should fail fast while Redis is down instead of queueing or hanging.
 */
export const OWNED_CLIENT_DEFAULTS = {
  /** While disconnected, reject commands at once (nothing was sent) instead of queueing them. */
  enableOfflineQueue: false,
  /**
   * Reject commands in flight as soon as their connection drops. They are never re-sent, and
   * with a higher value ioredis would forget them on reconnect without settling them.
   */
  maxRetriesPerRequest: 0,
  /** Give up a TCP connection attempt after 5 s (ioredis: 10 s); reconnecting goes on. */
  connectTimeout: 5_000,
} as const satisfies RedisOptions;

/**
 * Settings the adapter's guarantees rest on, for every client it builds: a command whose reply
 * was lost is never re-sent (a re-sent CAS would turn an applied write into a definite `false`),
 * reads go to masters, and the factory itself connects.
 */
export const OWNED_CLIENT_REQUIRED = {
  autoResendUnfulfilledCommands: false,
  readOnly: false,
  lazyConnect: true,
} as const satisfies RedisOptions;

/** Cluster-level defaults of an owned `Cluster` (callers may override). */
export const OWNED_CLUSTER_DEFAULTS = {
  /** Reject commands at once while the cluster is not ready. */
  enableOfflineQueue: false,
} as const satisfies ClusterOptions;

/**
 * Cluster-level settings an owned `Cluster` must have: reads from masters, and no re-sending of
 * a command whose connection closed (ioredis' `retryDelayOnFailover` retry), for the same reason
 * as `autoResendUnfulfilledCommands: false`.
 */
export const OWNED_CLUSTER_REQUIRED = {
  scaleReads: 'master',
  retryDelayOnFailover: 0,
  lazyConnect: true,
} as const satisfies ClusterOptions;
