import { KVError, type KVErrorCode } from '@strongbox/core';
import type { Sql } from 'postgres';
import { DEFAULT_TABLE, identifierProblem } from './identifiers.js';

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
  /** Connection URL, `postgres://user:password@host:port/db?sslmode=...` (Go: `ConnString`). */
  url?: string | undefined;
  /**
   * An existing pool-level client (Go: `NewWithClient`), not a transaction or reserved
   * connection. Left open by `close()` unless `closeClient` is true. Its `transform` and
   * `types` options do not matter to the adapter.
   */
  sql?: PostgresClient | undefined;
  /** With `sql`: end that client on `close()` (default false). Ignored with `url`. */
  closeClient?: boolean | undefined;
  /** Most connections of the adapter's client; 0 or omitted means 10 (Go: `MaxConns`). */
  max?: number | undefined;
  /** Connections opened up front by the factory (Go: `MinConns`, default 2). At most `max`. */
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
  /** Receives background purge failures (`PURGE_FAILED`). Default: `process.emitWarning`. */
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
   * the structured checks and the defaults (Go: `ConnErrorStrings`).
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
/** setTimeout's longest delay. */
const MAX_DELAY = 2 ** 31 - 1;
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

const KNOWN_OPTIONS = new Set<string>([
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
]);

const SSL_MODES = new Set(['require', 'allow', 'prefer', 'verify-full']);

/** Validate `options` and apply defaults; throws `INVALID_CONFIG`, `INVALID_CONN_STRING` or `INVALID_POOL_CONFIG`. */
export function resolvePostgresOptions(options: unknown): PostgresSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('INVALID_CONFIG', 'options must be an object with `url` or `sql`');
  }
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).filter((name) => !KNOWN_OPTIONS.has(name));
  if (unknown.length > 0)
    throw invalid('INVALID_CONFIG', `unknown option(s): ${unknown.join(', ')}`);

  const source = resolveSource(o);
  const tableProblem = identifierProblem('table', o.table ?? DEFAULT_TABLE);
  if (tableProblem) throw invalid('INVALID_CONFIG', tableProblem);
  const schemaProblem = o.schema === undefined ? undefined : identifierProblem('schema', o.schema);
  if (schemaProblem) throw invalid('INVALID_CONFIG', schemaProblem);
  for (const name of ['unlogged', 'createTable', 'redactKeys', 'combine'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') {
      throw invalid('INVALID_CONFIG', `${name} must be a boolean`);
    }
  }
  if (o.onError !== undefined && typeof o.onError !== 'function') {
    throw invalid('INVALID_CONFIG', 'onError must be a function');
  }
  const patterns = o.connectionErrorPatterns ?? [];
  if (!Array.isArray(patterns) || patterns.some((pattern) => typeof pattern !== 'string')) {
    throw invalid('INVALID_CONFIG', 'connectionErrorPatterns must be an array of strings');
  }

  return {
    source,
    client: resolveClientOptions(o),
    table: (o.table as string | undefined) ?? DEFAULT_TABLE,
    schema: o.schema as string | undefined,
    unlogged: o.unlogged === true,
    createTable: o.createTable !== false,
    purgeInterval: milliseconds(o, 'purgeInterval', DEFAULT_PURGE_INTERVAL, { zero: true }),
    onError:
      (o.onError as ((error: KVError) => void) | undefined) ??
      ((error) => process.emitWarning(error)),
    operationTimeout: milliseconds(o, 'operationTimeout', DEFAULT_OPERATION_TIMEOUT),
    redactKeys: o.redactKeys === true,
    combine: o.combine !== false,
    connectionErrorPatterns: patterns as string[],
  };
}

function resolveSource(o: Record<string, unknown>): ClientSource {
  if (o.url !== undefined && o.sql !== undefined) {
    throw invalid('INVALID_CONFIG', 'give either `url` or `sql`, not both');
  }
  if (o.closeClient !== undefined && typeof o.closeClient !== 'boolean') {
    throw invalid('INVALID_CONFIG', 'closeClient must be a boolean');
  }
  if (o.sql !== undefined) {
    if (!isPoolClient(o.sql)) {
      throw invalid(
        'INVALID_CONFIG',
        'sql must be a pool-level client made by `postgres()`, not a transaction or reserved connection',
      );
    }
    const conflicting = OWNED_CLIENT_OPTIONS.filter((name) => o[name] !== undefined);
    if (conflicting.length > 0) {
      throw invalid(
        'INVALID_CONFIG',
        `${conflicting.join(', ')} configure the adapter's own client; set them on your \`sql\` client instead`,
      );
    }
    const { max_pipeline: maxPipeline } = o.sql.options as { max_pipeline?: unknown };
    if (typeof maxPipeline === 'number' && maxPipeline < 1) {
      // The adapter reserves connections and must see porsager accept a statement on each.
      throw invalid('INVALID_CONFIG', 'sql must allow max_pipeline of at least 1 (it is 0)');
    }
    return { kind: 'sql', sql: o.sql, closeClient: o.closeClient === true };
  }
  if (o.url === undefined) throw invalid('INVALID_CONFIG', 'give `url` or `sql`');
  // The URL's text is never echoed: it may hold a password.
  if (typeof o.url !== 'string' || !/^postgres(ql)?:\/\//i.test(o.url)) {
    throw invalid(
      'INVALID_CONN_STRING',
      'url must be a string starting with postgres:// or postgresql://',
    );
  }
  return { kind: 'url', url: o.url };
}

function resolveClientOptions(o: Record<string, unknown>): OwnedClientSettings {
  const max = poolSize(o, 'max', 0) || DEFAULT_MAX_CONNECTIONS;
  const minConnections = poolSize(o, 'minConnections', Math.min(DEFAULT_MIN_CONNECTIONS, max));
  if (minConnections > max) {
    throw invalid('INVALID_POOL_CONFIG', `minConnections (${minConnections}) exceeds max (${max})`);
  }
  if (o.prepare !== undefined && typeof o.prepare !== 'boolean') {
    throw invalid('INVALID_CONFIG', 'prepare must be a boolean');
  }
  const ssl = o.ssl;
  const sslValid =
    ssl === undefined ||
    typeof ssl === 'boolean' ||
    (typeof ssl === 'string' && SSL_MODES.has(ssl)) ||
    (typeof ssl === 'object' && ssl !== null);
  if (!sslValid) {
    throw invalid(
      'INVALID_CONFIG',
      'ssl must be a boolean, a mode (require, allow, prefer, verify-full) or tls options',
    );
  }
  if (o.applicationName !== undefined && typeof o.applicationName !== 'string') {
    throw invalid('INVALID_CONFIG', 'applicationName must be a string');
  }
  return {
    max,
    minConnections,
    prepare: o.prepare !== false,
    ssl: ssl as PostgresSsl | undefined,
    connectTimeout: milliseconds(o, 'connectTimeout', DEFAULT_CONNECT_TIMEOUT),
    idleTimeout: milliseconds(o, 'idleTimeout', 0, { zero: true }),
    maxLifetime:
      o.maxLifetime === undefined ? undefined : milliseconds(o, 'maxLifetime', 0, { zero: true }),
    applicationName: (o.applicationName as string | undefined) ?? DEFAULT_APPLICATION_NAME,
  };
}

/** A non-negative integer pool size; `INVALID_POOL_CONFIG` otherwise. */
function poolSize(o: Record<string, unknown>, name: string, fallback: number): number {
  const value = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_POOL_SIZE) {
    throw invalid('INVALID_POOL_CONFIG', `${name} must be an integer from 0 to ${MAX_POOL_SIZE}`);
  }
  return value;
}

/** A whole number of ms a timer can wait (0 allowed when `zero`); `INVALID_CONFIG` otherwise. */
function milliseconds(
  o: Record<string, unknown>,
  name: string,
  fallback: number,
  { zero = false } = {},
): number {
  const value = o[name];
  if (value === undefined) return fallback;
  const lowest = zero ? 0 : 1;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < lowest ||
    value > MAX_DELAY
  ) {
    throw invalid('INVALID_CONFIG', `${name} must be an integer from ${lowest} to ${MAX_DELAY} ms`);
  }
  return value;
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

function invalid(code: KVErrorCode, detail: string): KVError {
  return new KVError({ code, backend: 'postgres', detail });
}
