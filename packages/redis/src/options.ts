import { KVError, type KVErrorCode, readAdapterOptions } from '@strongbox/core';
import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { redisUrlProblem } from './connection-url.js';
import {
  OWNED_CLIENT_DEFAULTS,
  OWNED_CLIENT_REQUIRED,
  OWNED_CLUSTER_DEFAULTS,
  OWNED_CLUSTER_REQUIRED,
} from './redis-client.js';

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
   * added to the built-in ones.
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

/** Default per-operation deadline in ms. */
export const DEFAULT_OPERATION_TIMEOUT = 5_000;

/** Where the backend's client comes from. */
export type ClientPlan =
  | { kind: 'caller'; client: Redis | Cluster; closeClient: boolean }
  | { kind: 'standalone'; url: string | undefined; options: RedisOptions }
  | { kind: 'cluster'; nodes: ClusterNode[]; options: ClusterOptions };

/** Validated factory options. */
export interface ResolvedRedisOptions {
  plan: ClientPlan;
  keyPrefix: string;
  operationTimeout: number;
  redactKeys: boolean;
  connectionErrorPatterns: readonly string[];
  combine: boolean;
}

/** Options a URL already carries; giving them beside `url` is ambiguous. */
const URL_PARTS = ['host', 'port', 'path', 'username', 'password', 'db'] as const;

/**
 * Validate `createRedisBackend` options before any I/O. Throws `INVALID_CONFIG` for wrong types
 * and conflicting options, `INVALID_CONN_STRING` for a bad `url`.
 */
export function resolveRedisOptions(input: RedisBackendOptions | undefined): ResolvedRedisOptions {
  const o = readAdapterOptions('redis', input);
  const { url, client, cluster, keyPrefix = '' } = input as RedisBackendOptions;
  const passThrough = ioredisOptionsOf(o.given);

  const sources = [url, client, cluster].filter((source) => source !== undefined).length;
  if (sources > 1) fail('url, client and cluster are alternatives: give at most one');
  if (typeof keyPrefix !== 'string' || !keyPrefix.isWellFormed() || keyPrefix.includes('\0')) {
    fail('keyPrefix must be a well-formed string without U+0000');
  }
  const operationTimeout = o.timeout('operationTimeout', DEFAULT_OPERATION_TIMEOUT);
  const redactKeys = o.boolean('redactKeys', false);
  const combine = o.boolean('combine', true);
  const connectionErrorPatterns = o.strings('connectionErrorPatterns');
  const closeClient = o.given.closeClient;
  if (closeClient !== undefined && (client === undefined || typeof closeClient !== 'boolean')) {
    fail('closeClient is a boolean that applies only to a caller-supplied client');
  }

  const common = { keyPrefix, operationTimeout, redactKeys, connectionErrorPatterns, combine };
  if (client !== undefined) {
    if (!isIoredisClient(client)) fail('client must be an ioredis Redis or Cluster');
    rejectPassThrough(passThrough, 'they cannot apply to a client that already exists');
    return { ...common, plan: { kind: 'caller', client, closeClient: closeClient ?? false } };
  }
  if (cluster !== undefined) {
    rejectPassThrough(passThrough, 'put node connection options in cluster.redisOptions');
    return { ...common, plan: clusterPlan(cluster) };
  }
  if (url !== undefined) {
    const problem = redisUrlProblem(url);
    if (problem !== undefined) fail(problem, 'INVALID_CONN_STRING');
    const clashes = URL_PARTS.filter((name) => passThrough[name] !== undefined);
    if (clashes.length > 0) fail(`url already sets the connection; remove ${clashes.join(', ')}`);
    // ioredis lets URL query parameters override options; not the ones the guarantees rest on.
    const overridden = Object.keys(OWNED_CLIENT_REQUIRED).filter((name) =>
      new URL(url).searchParams.has(name),
    );
    if (overridden.length > 0) fail(`url may not set ${overridden.join(', ')}`);
  }
  checkRequired(passThrough, OWNED_CLIENT_REQUIRED, ['lazyConnect']);
  const options: RedisOptions = {
    ...OWNED_CLIENT_DEFAULTS,
    ...passThrough,
    ...OWNED_CLIENT_REQUIRED,
  };
  return { ...common, plan: { kind: 'standalone', url, options } };
}

function clusterPlan(cluster: unknown): ClientPlan {
  if (typeof cluster !== 'object' || cluster === null) fail('cluster must be an object');
  const {
    nodes,
    redisOptions = {},
    ...clusterOptions
  } = cluster as RedisBackendOptions['cluster'] & object;
  if (!Array.isArray(nodes) || nodes.length === 0)
    fail('cluster.nodes must be a non-empty array of seed nodes');
  if (clusterOptions.keyPrefix !== undefined || redisOptions.keyPrefix !== undefined) {
    fail('use the adapter keyPrefix option, not an ioredis keyPrefix');
  }
  checkRequired(clusterOptions, OWNED_CLUSTER_REQUIRED, ['lazyConnect']);
  checkRequired(redisOptions, OWNED_CLIENT_REQUIRED, ['lazyConnect']);
  const options: ClusterOptions = {
    ...OWNED_CLUSTER_DEFAULTS,
    ...clusterOptions,
    ...OWNED_CLUSTER_REQUIRED,
    redisOptions: { ...OWNED_CLIENT_DEFAULTS, ...redisOptions, ...OWNED_CLIENT_REQUIRED },
  };
  return { kind: 'cluster', nodes, options };
}

/** Reject a caller's value that contradicts a required setting (`ignored` ones are overridden). */
function checkRequired(given: object, required: object, ignored: readonly string[]): void {
  for (const [name, value] of Object.entries(required)) {
    const mine = (given as Record<string, unknown>)[name];
    if (mine !== undefined && mine !== value && !ignored.includes(name)) {
      fail(
        `${name} must be ${JSON.stringify(value)} for the adapter's guarantees (see docs/adapters/redis.md)`,
      );
    }
  }
}

function ioredisOptionsOf(input: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).filter(
      ([name, value]) => !OWN_OPTION_NAMES.has(name) && value !== undefined,
    ),
  );
}

function rejectPassThrough(passThrough: Record<string, unknown>, why: string): void {
  const names = Object.keys(passThrough);
  if (names.length > 0) fail(`unexpected ioredis options ${names.join(', ')}: ${why}`);
}

function isIoredisClient(value: unknown): value is Redis | Cluster {
  const candidate = value as Partial<Record<'evalsha' | 'get' | 'disconnect', unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.evalsha === 'function' &&
    typeof candidate.get === 'function' &&
    typeof candidate.disconnect === 'function'
  );
}

function fail(detail: string, code: KVErrorCode = 'INVALID_CONFIG'): never {
  throw new KVError({ code, backend: 'redis', detail });
}
