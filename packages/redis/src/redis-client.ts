import { KVError, raceInterruptions, sanitizeError } from '@strongbox/core';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { ClientPlan } from './options.js';

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

/** The backend's client, and whether `close()` must close it. */
export interface OpenedClient {
  client: Redis | Cluster;
  closeClient: boolean;
}

/**
 * The client a plan names: the caller's, or a new one the adapter owns (not connected yet:
 * owned clients connect lazily, in {@link connectClient}).
 */
export function openClient(plan: ClientPlan): OpenedClient {
  if (plan.kind === 'caller') return { client: plan.client, closeClient: plan.closeClient };
  const client =
    plan.kind === 'cluster'
      ? new Cluster(plan.nodes, plan.options)
      : plan.url === undefined
        ? new Redis(plan.options)
        : new Redis(plan.url, plan.options);
  // Failures reach callers through the operations they break; unheard, ioredis would print each.
  client.on('error', () => undefined);
  return { client, closeClient: true };
}

/**
 * Connect a client that has not connected yet and wait until it is ready, within `timeoutMs`.
 * Rejects with `CONNECTION_FAILED` (its sanitized cause attached) or `TIMEOUT`, both unhealthy.
 * ioredis rejects with a bare "Connection is closed."; the error that explains it (refused,
 * auth, ...) becomes the cause.
 */
export async function connectClient(
  client: Redis | Cluster,
  timeoutMs: number,
  secrets: readonly string[],
): Promise<void> {
  const connecting = connectExplained(client);
  await raceInterruptions(
    connecting,
    undefined,
    timeoutMs,
    () =>
      new KVError({
        code: 'TIMEOUT',
        backend: 'redis',
        op: 'connect',
        unhealthy: true,
        detail: 'the deadline passed',
      }),
    (error) =>
      new KVError({
        code: 'CONNECTION_FAILED',
        backend: 'redis',
        op: 'connect',
        unhealthy: true,
        cause: sanitizeError(error, secrets),
      }),
  );
}

async function connectExplained(client: Redis | Cluster): Promise<void> {
  let reason: unknown;
  const remember = (error: unknown) => {
    reason = error;
  };
  client.on('error', remember);
  client.on('node error', remember);
  try {
    await client.connect();
  } catch (error) {
    if (reason === undefined || reason === error) throw error;
    const message = error instanceof Error ? error.message : 'connecting failed';
    throw new Error(message, { cause: reason });
  } finally {
    client.off('error', remember);
    client.off('node error', remember);
  }
}

/** Passwords the client may echo, scrubbed from every error. */
export function clientSecrets(client: Redis | Cluster): string[] {
  const { options, startupNodes = [] } = client as unknown as {
    options: RedisSecretOptions & { redisOptions?: RedisSecretOptions };
    startupNodes?: unknown[];
  };
  const candidates = [
    ...secretFieldsOf(options),
    ...secretFieldsOf(options.redisOptions),
    ...startupNodes.map((node) => (node as { password?: unknown } | null)?.password),
  ];
  return candidates.filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
}

/** The client option fields that can hold a credential. */
interface RedisSecretOptions {
  password?: unknown;
  sentinelPassword?: unknown;
  tls?: { passphrase?: unknown };
}

function secretFieldsOf(options: RedisSecretOptions | undefined): unknown[] {
  return [options?.password, options?.sentinelPassword, options?.tls?.passphrase];
}
