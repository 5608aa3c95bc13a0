import { Cluster, Redis } from 'ioredis';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { uniqueName } from './helpers/backends.js';

function callerRedis(options: { lazyConnect?: boolean; stringNumbers?: boolean } = {}): Redis {
  const client = new Redis(inject('redisUrl'), options);
  onTestFinished(() => client.disconnect());
  return client;
}

describe("a caller's client", () => {
  it('is used as it is and left open by close()', async () => {
    const client = callerRedis();
    const kv = await createRedisBackend({ client, keyPrefix: 'caller-open:' });
    expect(kv.client).toBe(client);
    await kv.set('k', 'v');
    await kv.close();
    expect(client.status).toBe('ready');
    expect(await client.get('caller-open:k')).toBe('v');
    await client.del('caller-open:k');
  });

  it('is closed by close() with closeClient: true', async () => {
    const client = callerRedis();
    const kv = await createRedisBackend({ client, closeClient: true });
    await kv.ping();
    await kv.close();
    expect(client.status).toBe('end');
  });

  it('is connected by the factory when it was built with lazyConnect', async () => {
    const client = callerRedis({ lazyConnect: true });
    expect(client.status).toBe('wait');
    const kv = await createRedisBackend({ client });
    expect(client.status).toBe('ready');
    await kv.close();
    expect(client.status).toBe('ready');
  });

  it('may be a Cluster, also left open by close()', async () => {
    const client = new Cluster(inject('redisClusterNodes'));
    onTestFinished(() => client.disconnect());
    const kv = await createRedisBackend({ client, keyPrefix: 'caller-cluster:' });
    expect(await kv.checkAndSet('k', null, 'v')).toBe(true);
    await kv.close();
    expect(client.status).toBe('ready');
    expect(await client.get('caller-cluster:k')).toBe('v');
    await client.del('caller-cluster:k');
  });

  it('may return integer replies as text (stringNumbers): results are the same', async () => {
    const client = callerRedis({ stringNumbers: true });
    const kv = await createRedisBackend({ client, keyPrefix: `${uniqueName('string-numbers')}:` });
    onTestFinished(() => kv.close());
    const max = Number.MAX_SAFE_INTEGER;
    expect(await kv.increment('n', max, { ttl: 60_000 })).toMatchObject({ value: max });
    const counter = await kv.increment('n', -1);
    expect(counter.value).toBe(max - 1);
    expect(counter.ttl).toBeGreaterThan(0);
    expect(await kv.increment('forever')).toEqual({ value: 1, ttl: null });
    expect(await kv.checkAndSet('n', String(max - 1), 'v')).toBe(true);
    expect(await kv.checkAndDelete('n', 'v')).toBe(true);
    expect(await kv.delete('forever')).toBe(true);
  });
});
