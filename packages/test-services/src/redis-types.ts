/** Where a test server came from, in the order they are tried. */
export type RedisSource = 'env' | 'docker' | 'local';

/** Fault controls of a server the tests started themselves (never of an env-provided one). */
export interface RedisServerControls {
  readonly host: string;
  readonly port: number;
  /** The server's OS process id; local binaries only. */
  readonly pid: number | undefined;
  /** Stop the server (its clients see their connections close) and wait until it is gone. */
  shutdown(): Promise<void>;
  /** Start it again on the same port with the same data dir (a cluster node keeps its identity). */
  restart(): Promise<void>;
  /** Freeze the server (SIGSTOP): connections stay open and nothing is answered. */
  pause(): Promise<void>;
  /** Thaw a paused server (SIGCONT). */
  resume(): Promise<void>;
}

/** A standalone Redis for tests. */
export interface RedisService {
  /** `redis://host:port`. */
  readonly url: string;
  readonly source: RedisSource;
  /** Present unless the server came from `TEST_REDIS_URL`. */
  readonly controls?: RedisServerControls;
  /** Stop what was started (nothing for an env-provided server). */
  stop(): Promise<void>;
}

/** A Redis server the tests own: fault injection is allowed. */
export interface ThrowawayRedisService extends RedisService {
  readonly controls: RedisServerControls;
}

/** One node address of a Redis Cluster. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** A Redis Cluster (3 masters when started here) for tests. */
export interface RedisClusterService {
  /** Seed nodes; with a cluster started here, all masters. */
  readonly nodes: RedisNodeAddress[];
  readonly source: RedisSource;
  /** One per node, unless the cluster came from `TEST_REDIS_CLUSTER_NODES`. */
  readonly controls?: RedisServerControls[];
  stop(): Promise<void>;
}

/** A Redis Cluster the tests own. */
export interface ThrowawayRedisClusterService extends RedisClusterService {
  readonly controls: RedisServerControls[];
}

/** Options of `startRedis` / `startRedisCluster`. */
export interface StartRedisOptions {
  /**
   * Ignore the env variables and start a server of our own, for tests that stop, restart or
   * pause it.
   */
  throwaway?: boolean;
}
