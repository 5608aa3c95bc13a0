import KeyvRedis, { Keyv } from '@keyv/redis';
import { Keyv as Keyv6, KeyvRedis as KeyvRedis6 } from '@strongbox/bench-keyv6';
import { createRedisBackend, type RedisBackend } from '@strongbox/redis';
import { CHECK_AND_SET, createWriteCoalescer } from '@strongbox/redis/internal';
import { Cluster, Redis } from 'ioredis';
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { ALL_OPS, type Contender, KEYV_OPS, noCheckAndSet, UNSTORAGE_OPS } from '../contender.js';
import { RedisBulk } from './redis-bulk.js';
import { mastersOf, type RedisAddress, type RedisDeployment } from './redis-deployment.js';
import { strongboxContender } from './strongbox.js';

/**
 * Strongbox's Redis adapter and its baselines on one deployment: raw ioredis with the adapter's
 * own client options and scripts, Keyv (@keyv/redis, node-redis) and, on a single server,
 * unstorage's redis driver. Each works under its own key prefix.
 */
export async function redisContenders(deployment: RedisDeployment): Promise<Contender[]> {
  const bulk = await RedisBulk.connect(deployment);
  const backend = await createRedisBackend({
    ...(deployment.kind === 'single'
      ? { url: deployment.url }
      : { cluster: { nodes: deployment.nodes, ...natMapOf(deployment) } }),
    keyPrefix: 'sb:',
  });
  const strongbox = strongboxContender(backend, 'createRedisBackend() defaults, keyPrefix "sb:"', {
    seed: (keys, value) =>
      bulk.set(
        keys.map((key) => `sb:${key}`),
        value,
      ),
    unseed: (keys) => bulk.unlink(keys.map((key) => `sb:${key}`)),
  });
  const contenders = [
    strongbox,
    await rawIoredis(backend, deployment, bulk),
    keyvRedis(deployment, bulk, KEYV_5),
    ...(keyv6Runs() ? [keyvRedis(deployment, bulk, KEYV_6)] : []),
    // On a Cluster unstorage is ioredis' Cluster plus its own layer; the single server shows that.
    ...(deployment.kind === 'single' ? [unstorageRedis(deployment.url, bulk)] : []),
  ];
  // The bulk client outlives every contender; it goes with the last one.
  const last = contenders[contenders.length - 1] as Contender;
  const closeLast = last.close;
  last.close = async () => {
    await closeLast();
    await bulk.close();
  };
  return contenders;
}

function natMapOf(deployment: Extract<RedisDeployment, { kind: 'cluster' }>) {
  return deployment.natMap ? { natMap: deployment.natMap } : {};
}

/**
 * ioredis sending the adapter's commands by hand: a second client built from the adapter's
 * client's own options, the adapter's Lua script by SHA (loaded up front), the same argument
 * encoding, and the adapter's own write batching (one socket write per tick), so the ratio
 * shows what the adapter's layer costs on top of the same wire traffic.
 */
async function rawIoredis(
  backend: RedisBackend,
  deployment: RedisDeployment,
  bulk: RedisBulk,
): Promise<Contender> {
  const source = backend.client;
  const client =
    source instanceof Cluster
      ? new Cluster(deployment.kind === 'cluster' ? deployment.nodes : [], { ...source.options })
      : new Redis({ ...(source as Redis).options });
  await client.connect();
  await Promise.all(mastersOf(client).map((node) => node.script('LOAD', CHECK_AND_SET.lua)));
  const batch = createWriteCoalescer(client);
  const prefix = 'raw:';
  return {
    kind: 'raw',
    description:
      'ioredis with the adapter client options and write batching; GET, SET [PX], DEL, EVALSHA of its CAS script',
    ops: ALL_OPS,
    get: (key) => {
      batch();
      return client.get(prefix + key);
    },
    set: (key, value, ttlMs) => {
      batch();
      return ttlMs === undefined
        ? client.set(prefix + key, value)
        : client.set(prefix + key, value, 'PX', ttlMs);
    },
    checkAndSet: async (key, expected, next) => {
      batch();
      return (
        (await client.evalsha(
          CHECK_AND_SET.sha,
          1,
          prefix + key,
          expected === null ? '0' : '1',
          expected ?? '',
          next,
          '0',
        )) === 1
      );
    },
    delete: (key) => {
      batch();
      return client.del(prefix + key);
    },
    seed: (keys, value) =>
      bulk.set(
        keys.map((key) => prefix + key),
        value,
      ),
    unseed: (keys) => bulk.unlink(keys.map((key) => prefix + key)),
    close: async () => {
      await client.quit();
    },
  };
}

/** The part of a Keyv instance the contender calls; Keyv 5 and 6 both have it. */
interface KeyvLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ttl?: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  disconnect(): Promise<void>;
}

/** node-redis' connection: a URL, or the cluster's root nodes (with the proxies' address map). */
type KeyvConnection =
  | string
  | { rootNodes: { url: string }[]; nodeAddressMap?: Record<string, RedisAddress> };

/** One Keyv major with @keyv/redis of the same major, under its own namespace. */
interface KeyvFlavour {
  kind: 'keyv' | 'keyv6';
  namespace: string;
  description: string;
  create(connection: KeyvConnection): KeyvLike;
}

/** What @keyv/redis 5's createKeyv builds (it takes no cluster options), errors thrown. */
const KEYV_5: KeyvFlavour = {
  kind: 'keyv',
  namespace: 'kv',
  description: 'Keyv 5 + @keyv/redis 5 (node-redis), namespace "kv"',
  create(connection) {
    const store = new KeyvRedis(connection, { namespace: 'kv', throwOnErrors: true });
    return new Keyv(store, { namespace: 'kv', useKeyPrefix: false, throwOnErrors: true });
  },
};

/** What @keyv/redis 6's createKeyv builds, errors thrown by the store. */
const KEYV_6: KeyvFlavour = {
  kind: 'keyv6',
  namespace: 'kv6',
  description: 'Keyv 6 + @keyv/redis 6 (node-redis), namespace "kv6"',
  create(connection) {
    const store = new KeyvRedis6(connection, { namespace: 'kv6', throwOnErrors: true });
    return new Keyv6(store, { namespace: 'kv6' });
  },
};

/** Keyv 6 and @keyv/redis 6 declare Node ≥ 22.19; on older Node they are left out. */
function keyv6Runs(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 19);
}

/** Keyv with @keyv/redis (node-redis) of one major. */
function keyvRedis(deployment: RedisDeployment, bulk: RedisBulk, flavour: KeyvFlavour): Contender {
  const connection: KeyvConnection =
    deployment.kind === 'single'
      ? deployment.url
      : {
          rootNodes: deployment.nodes.map((node) => ({ url: `redis://${node.host}:${node.port}` })),
          ...(deployment.natMap ? { nodeAddressMap: deployment.natMap } : {}),
        };
  const keyv = flavour.create(connection);
  const rawKey = (key: string) => `${flavour.namespace}::${key}`;
  return {
    kind: flavour.kind,
    description: flavour.description,
    ops: KEYV_OPS,
    get: (key) => keyv.get(key),
    set: (key, value, ttlMs) => keyv.set(key, value, ttlMs),
    checkAndSet: noCheckAndSet,
    delete: (key) => keyv.delete(key),
    seed: async (keys, value) => {
      const raw = await rawValueWrittenBy(
        (key) => keyv.set(key, value),
        rawKey,
        bulk,
        flavour.kind,
      );
      await bulk.set(keys.map(rawKey), raw);
    },
    unseed: (keys) => bulk.unlink(keys.map(rawKey)),
    close: () => keyv.disconnect(),
  };
}

/** unstorage's redis driver (ioredis, its defaults) behind `createStorage`, base `us`. */
function unstorageRedis(url: string, bulk: RedisBulk): Contender {
  const driver = redisDriver({ url, base: 'us' });
  const storage = createStorage({ driver });
  const rawKey = (key: string) => `us:${key}`;
  return {
    kind: 'unstorage',
    description: 'unstorage 1 createStorage + redis driver (ioredis), base "us"',
    ops: UNSTORAGE_OPS,
    get: (key) => storage.getItem(key),
    set: (key, value) => storage.setItem(key, value),
    checkAndSet: noCheckAndSet,
    delete: (key) => storage.removeItem(key),
    seed: async (keys, value) => {
      const raw = await rawValueWrittenBy(
        (key) => storage.setItem(key, value),
        rawKey,
        bulk,
        'unstorage',
      );
      await bulk.set(keys.map(rawKey), raw);
    },
    unseed: (keys) => bulk.unlink(keys.map(rawKey)),
    close: () => storage.dispose(),
  };
}

/**
 * The raw Redis value a library stores for a value, learned by letting it write one key and
 * reading that back. Fails loudly if the library's key layout is not what the harness assumes.
 */
async function rawValueWrittenBy(
  write: (key: string) => Promise<unknown>,
  rawKey: (key: string) => string,
  bulk: RedisBulk,
  library: string,
): Promise<string> {
  const template = 'seed-template';
  await write(template);
  const raw = await bulk.get(rawKey(template));
  if (raw === null)
    throw new Error(`${library} did not store "${template}" at ${rawKey(template)}`);
  return raw;
}
