import { type AdapterOptions, type KVError, readAdapterOptions } from '@strongbox/core';
import type { Sql } from 'postgres';
import { DEFAULT_TABLE, identifierProblem } from './identifiers.js';
import { maxPipelineOf } from './lanes/porsager-internals.js';

/** A pool-level `postgres` client (porsager), whatever its custom types. */
// biome-ignore lint/suspicious/noExplicitAny: any client works, whatever types it was built with
export type PostgresClient = Sql<any>;

/** TLS settings handed to the driver: a mode or `tls.connect` options. */
export type PostgresSsl = boolean | 'require' | 'allow' | 'prefer' | 'verify-full' | object;

/**
 * Options of `createPostgresBackend`. Give either `url` (the adapter builds and owns its
 * client) or `sql` (your client; the pool options then belong to it).
 */
export interface PostgresBackendOptions {
  /** Connection URL, `postgres://user:password@host:port/db?sslmode=...`. */
  url?: string | undefined;
  /**
   * An existing pool-level client, not a transaction or reserved
   * connection. Left open by `close()` unless `closeClient` is true. Its `transform` and
   * `types` options do not matter to the adapter.
   */
  sql?: PostgresClient | undefined;
  /** With `sql`: end that client on `close()` (default false). Ignored with `url`. */
  closeClient?: boolean | undefined;
  /** Most connections of the adapter's client; 0 or omitted means 10. */
  max?: number | undefined;
  /** Connections opened up front by the factory (default 2). At most `max`. */
  minConnections?: number | undefined;
  /** Table name (default `strongbox_kv`): `^[A-Za-z_][A-Za-z0-9_]*$`, at most 48 bytes. */
  table?: string | undefined;
  /** Schema name (default: the server's `current_schema()` when the backend is created). */
  schema?: string | undefined;
  /** Create the table UNLOGGED: faster writes, emptied by a crash or failover (default false). */
  unlogged?: boolean | undefined;
  /** Create the table and its expiry index when missing (default true). */
  createTable?: boolean | undefined;
  /** Ms between background purges of expired rows; 0 disables them (default 60000). */
  purgeInterval?: number | undefined;
  /**
   * Receives background purge failures (`PURGE_FAILED`). Default: core's `emitWarning`
   * (`process.emitWarning`, or `console.warn` on runtimes without `process`).
   */
  onError?: ((error: KVError) => void) | undefined;
  /** Deadline of every operation in ms unless the call gives its own `timeout` (default 5000). */
  operationTimeout?: number | undefined;
  /** Leave keys out of errors (default false). */
  redactKeys?: boolean | undefined;
  /**
   * Combine concurrent `increment` calls on one key into one statement (default true). Turn
   * it off to measure the difference; results are the same either way.
   */
  combine?: boolean | undefined;
  /**
   * Extra substrings (case-insensitive) that mark an error as a connectivity failure, added to
   * the structured checks and the defaults.
   */
  connectionErrorPatterns?: readonly string[] | undefined;
  /**
   * Use named prepared statements (default true). Set false behind PgBouncer in transaction
   * mode; each call then costs a second round trip.
   */
  prepare?: boolean | undefined;
  /** TLS: `true`, `'require'`, `'prefer'`, `'verify-full'` or `tls.connect` options. */
  ssl?: PostgresSsl | undefined;
  /** Ms to wait for a new connection (TCP, TLS and authentication) before failing it (default 5000). */
  connectTimeout?: number | undefined;
  /** Ms after which an idle connection is closed; 0 keeps them open (default 0). */
  idleTimeout?: number | undefined;
  /** Ms after which a connection is replaced; 0 keeps it (default: 30 to 60 minutes, random). */
  maxLifetime?: number | undefined;
  /** `application_name` of the adapter's connections (default `strongbox`). */
  applicationName?: string | undefined;
}

/** Where the adapter's client comes from. */
export type ClientSource =
  | { kind: 'url'; url: string }
  | { kind: 'sql'; sql: PostgresClient; closeClient: boolean };

/** Options of the client the adapter builds from a `url`. */
export interface OwnedClientSettings {
  max: number;
  minConnections: number;
  prepare: boolean;
  ssl: PostgresSsl | undefined;
  connectTimeout: number;
  idleTimeout: number;
  maxLifetime: number | undefined;
  applicationName: string;
}

/** {@link PostgresBackendOptions} validated, with defaults applied. */
export interface PostgresSettings {
  source: ClientSource;
  client: OwnedClientSettings;
  table: string;
  schema: string | undefined;
  unlogged: boolean;
  createTable: boolean;
  purgeInterval: number;
  onError: (error: KVError) => void;
  operationTimeout: number;
  redactKeys: boolean;
  combine: boolean;
  connectionErrorPatterns: readonly string[];
}

export const DEFAULT_MAX_CONNECTIONS = 10;
export const DEFAULT_MIN_CONNECTIONS = 2;
export const DEFAULT_OPERATION_TIMEOUT = 5000;
export const DEFAULT_PURGE_INTERVAL = 60_000;
export const DEFAULT_CONNECT_TIMEOUT = 5000;
export const DEFAULT_APPLICATION_NAME = 'strongbox';
/** A sanity bound on pool sizes (PostgreSQL's own default `max_connections` is 100). */
const MAX_POOL_SIZE = 10_000;

/** Options that configure the client the adapter builds, so they conflict with `sql`. */
const OWNED_CLIENT_OPTIONS = [
  'max',
  'minConnections',
  'prepare',
  'ssl',
  'connectTimeout',
  'idleTimeout',
  'maxLifetime',
  'applicationName',
] as const;

const KNOWN_OPTIONS = [
  'url',
  'sql',
  'closeClient',
  'table',
  'schema',
  'unlogged',
  'createTable',
  'purgeInterval',
  'onError',
  'operationTimeout',
  'redactKeys',
  'combine',
  'connectionErrorPatterns',
  ...OWNED_CLIENT_OPTIONS,
] satisfies (keyof PostgresBackendOptions)[];

const SSL_MODES = new Set(['require', 'allow', 'prefer', 'verify-full']);

/**
 * Validate `options` with core's option checks and apply defaults; throws `INVALID_CONFIG`,
 * `INVALID_CONN_STRING` or `INVALID_POOL_CONFIG`.
 */
export function resolvePostgresOptions(options: unknown): PostgresSettings {
  const o = readAdapterOptions('postgres', options, {
    known: KNOWN_OPTIONS,
    optional: false,
    expects: 'with `url` or `sql`',
  });
  const source = resolveSource(o);
  const table = o.given.table ?? DEFAULT_TABLE;
  const tableProblem = identifierProblem('table', table);
  if (tableProblem) throw o.invalid(tableProblem);
  const { schema } = o.given;
  const schemaProblem = schema === undefined ? undefined : identifierProblem('schema', schema);
  if (schemaProblem) throw o.invalid(schemaProblem);
  return {
    source,
    client: resolveClientOptions(o),
    table: table as string,
    schema: schema as string | undefined,
    unlogged: o.boolean('unlogged', false),
    createTable: o.boolean('createTable', true),
    purgeInterval: o.interval('purgeInterval', DEFAULT_PURGE_INTERVAL, 0),
    onError: o.onError(),
    operationTimeout: o.timeout('operationTimeout', DEFAULT_OPERATION_TIMEOUT),
    redactKeys: o.boolean('redactKeys', false),
    combine: o.boolean('combine', true),
    connectionErrorPatterns: o.strings('connectionErrorPatterns'),
  };
}

function resolveSource(o: AdapterOptions): ClientSource {
  const { url, sql } = o.given;
  if (url !== undefined && sql !== undefined) {
    throw o.invalid('give either `url` or `sql`, not both');
  }
  const closeClient = o.boolean('closeClient', false);
  if (sql !== undefined) {
    if (!isPoolClient(sql)) {
      throw o.invalid(
        'sql must be a pool-level client made by `postgres()`, not a transaction or reserved connection',
      );
    }
    const conflicting = OWNED_CLIENT_OPTIONS.filter((name) => o.given[name] !== undefined);
    if (conflicting.length > 0) {
      throw o.invalid(
        `${conflicting.join(', ')} configure the adapter's own client; set them on your \`sql\` client instead`,
      );
    }
    const maxPipeline = maxPipelineOf(sql);
    if (typeof maxPipeline === 'number' && maxPipeline < 1) {
      // The adapter reserves connections and must see porsager accept a statement on each.
      throw o.invalid('sql must allow max_pipeline of at least 1 (it is 0)');
    }
    return { kind: 'sql', sql, closeClient };
  }
  if (url === undefined) throw o.invalid('give `url` or `sql`');
  // The URL's text is never echoed: it may hold a password.
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//i.test(url)) {
    throw o.invalid(
      'url must be a string starting with postgres:// or postgresql://',
      'INVALID_CONN_STRING',
    );
  }
  return { kind: 'url', url };
}

function resolveClientOptions(o: AdapterOptions): OwnedClientSettings {
  const max = poolSize(o, 'max', 0) || DEFAULT_MAX_CONNECTIONS;
  const minConnections = poolSize(o, 'minConnections', Math.min(DEFAULT_MIN_CONNECTIONS, max));
  if (minConnections > max) {
    throw o.invalid(
      `minConnections (${minConnections}) exceeds max (${max})`,
      'INVALID_POOL_CONFIG',
    );
  }
  const prepare = o.boolean('prepare', true);
  const { ssl } = o.given;
  const sslValid =
    ssl === undefined ||
    typeof ssl === 'boolean' ||
    (typeof ssl === 'string' && SSL_MODES.has(ssl)) ||
    (typeof ssl === 'object' && ssl !== null);
  if (!sslValid) {
    throw o.invalid(
      'ssl must be a boolean, a mode (require, allow, prefer, verify-full) or tls options',
    );
  }
  return {
    max,
    minConnections,
    prepare,
    ssl: ssl as PostgresSsl | undefined,
    connectTimeout: o.interval('connectTimeout', DEFAULT_CONNECT_TIMEOUT),
    idleTimeout: o.interval('idleTimeout', 0, 0),
    maxLifetime: o.given.maxLifetime === undefined ? undefined : o.interval('maxLifetime', 0, 0),
    applicationName: o.string('applicationName', DEFAULT_APPLICATION_NAME),
  };
}

/** A non-negative integer pool size; `INVALID_POOL_CONFIG` otherwise. */
function poolSize(o: AdapterOptions, name: string, fallback: number): number {
  return o.integer(name, fallback, { min: 0, max: MAX_POOL_SIZE, code: 'INVALID_POOL_CONFIG' });
}

/** Whether `value` looks like the client `postgres()` returns (not `sql.begin`'s or `sql.reserve`'s). */
function isPoolClient(value: unknown): value is PostgresClient {
  if (typeof value !== 'function') return false;
  const client = value as unknown as Record<string, unknown>;
  return (
    typeof client.unsafe === 'function' &&
    typeof client.end === 'function' &&
    typeof client.options === 'object' &&
    client.savepoint === undefined &&
    client.release === undefined
  );
}
