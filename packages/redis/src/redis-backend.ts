import {
  type Expiry,
  KVBackendBase,
  type OperationOptions,
  raceInterruptions,
} from '@strongbox/core';
import type { Cluster, Redis } from 'ioredis';
import { evalScript } from './eval-script.js';
import { connectClient } from './owned-client.js';
import { createRedisErrorClassifier, wasNeverSent } from './redis-errors.js';
import { CHECK_AND_DELETE, CHECK_AND_SET } from './scripts.js';

/** How long `close()` lets in-flight replies arrive before dropping an owned client's connections. */
const CLOSE_GRACE_MS = 1_000;

/** What a {@link RedisBackend} is built from (see `createRedisBackend`). */
export interface RedisBackendInit {
  client: Redis | Cluster;
  /** Close `client` in `close()`: the adapter built it, or the caller said `closeClient`. */
  closeClient: boolean;
  keyPrefix: string;
  operationTimeout: number;
  redactKeys: boolean;
  connectionErrorPatterns: readonly string[];
}

/**
 * The Strongbox contract on Redis (a single server or a Cluster) through ioredis. Each operation
 * is one command on one key: GET, SET (PX / KEEPTTL), DEL, and a Lua script (EVALSHA) for
 * checkAndSet and checkAndDelete. Build it with `createRedisBackend`.
 */
export class RedisBackend extends KVBackendBase {
  /** The ioredis client: the caller's own, or the one the adapter built from the options. */
  readonly client: Redis | Cluster;
  /** Prepended to every key. */
  readonly keyPrefix: string;
  readonly #closeClient: boolean;

  private constructor(init: RedisBackendInit) {
    super({
      name: 'redis',
      operationTimeout: init.operationTimeout,
      redactKeys: init.redactKeys,
      isConnectionError: createRedisErrorClassifier(init.connectionErrorPatterns),
      secrets: secretsOf(init.client),
    });
    this.client = init.client;
    this.keyPrefix = init.keyPrefix;
    this.#closeClient = init.closeClient;
  }

  /**
   * Connect the client if it has not connected yet, then ping. On failure whatever the backend
   * owns is closed before the error is thrown. Internal: use `createRedisBackend`.
   */
  static async open(init: RedisBackendInit): Promise<RedisBackend> {
    const backend = new RedisBackend(init);
    try {
      if (backend.client.status === 'wait') {
        await backend.run('connect', undefined, undefined, () => connectClient(backend.client));
      }
      await backend.ping();
    } catch (error) {
      await backend.close().catch(() => undefined);
      throw error;
    }
    return backend;
  }

  protected doGet(key: string): Promise<string | null> {
    return this.client.get(this.#key(key));
  }

  protected async doSet(key: string, value: string, expiry: Expiry): Promise<void> {
    const redisKey = this.#key(key);
    if (expiry === 'keep') await this.client.set(redisKey, value, 'KEEPTTL');
    else if (expiry > 0) await this.client.set(redisKey, value, 'PX', expiry);
    else await this.client.set(redisKey, value);
  }

  protected async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    const args = [expected === null ? '0' : '1', expected ?? '', next, String(expiry)];
    return (await evalScript(this.client, CHECK_AND_SET, this.#key(key), args)) === 1;
  }

  protected async doCheckAndDelete(key: string, expected: string): Promise<boolean> {
    return (await evalScript(this.client, CHECK_AND_DELETE, this.#key(key), [expected])) === 1;
  }

  protected async doDelete(key: string): Promise<boolean> {
    return (await this.client.del(this.#key(key))) === 1;
  }

  /** PING; on a Cluster, every master the client knows (any of them down means some keys are). */
  protected async doPing(_options: OperationOptions | undefined): Promise<void> {
    const masters = this.client.isCluster ? (this.client as Cluster).nodes('master') : [];
    if (masters.length > 0) await Promise.all(masters.map((node) => node.ping()));
    else await this.client.ping();
  }

  /** Quit gracefully (bounded), then drop the connections; a caller's client is left alone. */
  protected async doClose(): Promise<void> {
    if (!this.#closeClient) return;
    if (this.client.status === 'ready') {
      const quitting = this.client.quit();
      await raceInterruptions(quitting, undefined, CLOSE_GRACE_MS, () => undefined).catch(
        () => undefined,
      );
    }
    this.client.disconnect();
  }

  protected override mayHaveBeenApplied(error: unknown): boolean {
    return !wasNeverSent(error);
  }

  #key(key: string): string {
    return this.keyPrefix + key;
  }
}

/** Passwords the client may echo, scrubbed from every error. */
function secretsOf(client: Redis | Cluster): string[] {
  const { options, startupNodes = [] } = client as unknown as {
    options: { password?: unknown; redisOptions?: { password?: unknown } };
    startupNodes?: unknown[];
  };
  const candidates = [
    options.password,
    options.redisOptions?.password,
    ...startupNodes.map((node) => (node as { password?: unknown } | null)?.password),
  ];
  return candidates.filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
}
