import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis';

/** A Redis Cluster the adapter connects to and owns: seed nodes plus ioredis `Cluster` options. */
export interface RedisClusterConfig extends ClusterOptions {
  /** Seed nodes (`{ host, port }`, `"host:port"` or a port); the rest of the cluster is discovered. */
  nodes: ClusterNode[];
}

/** The options `createRedisBackend` reads itself; every other property is an ioredis option. */
export interface RedisBackendOwnOptions {
  /**
   * `redis://[[user]:password@]host[:port][/db]` or `rediss://...` (TLS). Credentials and the db
   * index come from it. Alternative to `client` and `cluster`; without any of the three,
   * ioredis' own `host`/`port`/`path` options (default `localhost:6379`) are used.
   */
  url?: string | undefined;
  /**
   * An ioredis `Redis` or `Cluster` of the caller's. Used as it is (its options are not changed),
   * and left open by `close()` unless `closeClient` is true.
   */
  client?: Redis | Cluster | undefined;
  /** With `client`: close that client in `close()` (default false). */
  closeClient?: boolean | undefined;
  /** Connect to a Redis Cluster: seed nodes and ioredis cluster options (`redisOptions` for each node). */
  cluster?: RedisClusterConfig | undefined;
  /**
   * Prepended to every key (default `""`), to share one Redis between several users. It adds no
   * slot constraint: a prefix with a `{hash tag}` pins all keys to one cluster slot.
   */
  keyPrefix?: string | undefined;
  /** Default deadline of each operation in ms (default 5000); per-call `timeout` overrides it. */
  operationTimeout?: number | undefined;
  /** Leave keys out of errors (default false). */
  redactKeys?: boolean | undefined;
  /**
   * Extra case-insensitive substrings that mark an error message as a connectivity failure,
   * added to the built-in ones (the Go original's `ConnErrorStrings`).
   */
  connectionErrorPatterns?: readonly string[] | undefined;
  /**
   * Send concurrent `increment` calls on one key, issued while one is in flight, as one summed
   * script call (default true). Results are the same either way; `false` is for measurement.
   */
  combine?: boolean | undefined;
}

/**
 * Options of `createRedisBackend`: the adapter's own, plus ioredis `RedisOptions` for the client
 * it builds from `url` or `host`/`port` (for `cluster`, node options go in `cluster.redisOptions`).
 */
export type RedisBackendOptions = RedisBackendOwnOptions & Omit<RedisOptions, 'keyPrefix'>;

/** Names of {@link RedisBackendOwnOptions}; everything else is passed to ioredis. */
export const OWN_OPTION_NAMES: ReadonlySet<string> = new Set<keyof RedisBackendOwnOptions>([
  'url',
  'client',
  'closeClient',
  'cluster',
  'keyPrefix',
  'operationTimeout',
  'redactKeys',
  'connectionErrorPatterns',
  'combine',
]);
