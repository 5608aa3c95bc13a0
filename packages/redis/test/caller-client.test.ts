import { Cluster, Redis } from 'ioredis';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createRedisBackend } from '../src/index.js';

function callerRedis(options: { lazyConnect?: boolean } = {}): Redis {
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
});
