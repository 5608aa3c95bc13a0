import {
  type ConnectionErrorClassifier,
  KVError,
  type KVErrorCode,
  raceInterruptions,
  sanitizeError,
} from '@strongbox/core';
import { cancelQuery } from './lanes/cancel-query.js';
import { unsupportedDriver } from './lanes/porsager-internals.js';
import { type PostgresBackendOptions, resolvePostgresOptions } from './options.js';
import { PostgresBackend } from './postgres-backend.js';
import { clientSecrets, openClient, warmUp } from './postgres-client.js';
import { createPostgresErrorClassifier, POSTGRES_SAFE_ERROR_FIELDS } from './postgres-errors.js';
import { prepareTable } from './schema-setup.js';

/**
 * Create a PostgreSQL backend: validate `options` (before any I/O), open the client's first
 * connections, then find or create the table. Everything the factory opened is closed again
 * when a step fails (a caller's `sql` is left open).
 *
 * Rejects with a KVError: `INVALID_CONFIG` (also for a porsager version whose internals the
 * adapter does not find), `INVALID_CONN_STRING`, `INVALID_POOL_CONFIG`,
 * `CONNECTION_FAILED` (own client cannot connect), `PING_FAILED` (your `sql` does not
 * answer), `TABLE_QUERY_FAILED` or `TABLE_CREATION_FAILED`.
 *
 * @example
 * ```ts
 * await using kv = await createPostgresBackend({ url: process.env.DATABASE_URL });
 * const acquired = await kv.checkAndSet('lease:report', null, 'worker-1', { ttl: 10_000 });
 * ```
 */
export async function createPostgresBackend(
  options: PostgresBackendOptions,
): Promise<PostgresBackend> {
  const settings = resolvePostgresOptions(options);
  const { sql, owned } = openClient(settings);
  const secrets = clientSecrets(sql);
  const isConnectionError = createPostgresErrorClassifier(settings.connectionErrorPatterns);
  const fail = setupFailure(secrets, isConnectionError);
  const deadline = settings.operationTimeout;
  try {
    const unsupported = unsupportedDriver(sql);
    if (unsupported !== undefined) throw fail('INVALID_CONFIG', unsupported);
    try {
      await bounded(warmUp(sql, owned ? Math.max(1, settings.client.minConnections) : 1), deadline);
    } catch (error) {
      const code = owned ? 'CONNECTION_FAILED' : 'PING_FAILED';
      throw fail(code, owned ? 'could not connect' : 'the given client does not answer', error);
    }
    const names = await prepareTable(
      { query: (text) => bounded(sql.unsafe(text).raw(), deadline), fail },
      settings,
    );
    return new PostgresBackend({
      sql,
      ownsClient: owned,
      names,
      settings,
      secrets,
      isConnectionError,
    });
  } catch (error) {
    if (owned) await sql.end({ timeout: 0 }).catch(() => undefined);
    throw error;
  }
}

/** A setup step that took longer than the operation deadline. */
class SetupTimeoutError extends Error {
  override readonly name = 'SetupTimeoutError';
}

/** `work`, or a rejection once `ms` pass; a query still running then is cancelled. */
function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  return raceInterruptions(work, undefined, ms, () => {
    cancelQuery(work);
    work.catch(() => undefined);
    return new SetupTimeoutError(`no answer within ${ms} ms`);
  });
}

/** Builds the factory's KVErrors: op `connect`, sanitized cause, `unhealthy` from the cause. */
function setupFailure(secrets: readonly string[], isConnectionError: ConnectionErrorClassifier) {
  return (code: KVErrorCode, detail: string, cause?: unknown): KVError =>
    new KVError({
      code,
      backend: 'postgres',
      op: 'connect',
      unhealthy:
        code === 'CONNECTION_FAILED' ||
        code === 'PING_FAILED' ||
        cause instanceof SetupTimeoutError ||
        isConnectionError(cause),
      detail,
      ...(cause === undefined
        ? {}
        : { cause: sanitizeError(cause, secrets, POSTGRES_SAFE_ERROR_FIELDS) }),
    });
}
