import { inspect } from 'node:util';
import { isKVError, type KVErrorCode } from '@strongbox/core';
import { freePort } from '@strongbox/test-services';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import {
  createRedisBackend,
  OWNED_CLIENT_DEFAULTS,
  type RedisBackendOptions,
} from '../src/index.js';
import { closeAfterTest, testBackend } from './helpers/backends.js';
import { silentListener } from './helpers/listener.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

async function expectRejected(options: unknown, code: KVErrorCode, detail?: RegExp): Promise<void> {
  const error = await rejection(createRedisBackend(options as RedisBackendOptions));
  expect(isKVError(error, code), String(error)).toBe(true);
  if (detail) expect((error as Error).message).toMatch(detail);
}

describe('createRedisBackend options', () => {
  it('rejects conflicting and ill-typed options with INVALID_CONFIG, before any I/O', async () => {
    const listener = await silentListener();
    const url = `redis://127.0.0.1:${listener.port}`;
    const client = new Redis({ port: listener.port, lazyConnect: true });
    const nodes = [{ host: '127.0.0.1', port: listener.port }];
    const cases: [unknown, RegExp][] = [
      ['redis://localhost', /options must be an object/],
      [{ url, client }, /alternatives/],
      [{ url, cluster: { nodes } }, /alternatives/],
      [{ client, cluster: { nodes } }, /alternatives/],
      [{ url, keyPrefix: 42 }, /keyPrefix/],
      [{ url, keyPrefix: '\uD800' }, /keyPrefix/],
      [{ url, keyPrefix: 'a\u0000' }, /keyPrefix/],
      [{ url, operationTimeout: 0 }, /operationTimeout/],
      [{ url, operationTimeout: Number.NaN }, /operationTimeout/],
      [{ url, operationTimeout: '5000' }, /operationTimeout/],
      [{ url, operationTimeout: 2 ** 31 }, /operationTimeout/],
      [{ url, redactKeys: 'yes' }, /redactKeys/],
      [{ url, combine: 'no' }, /combine/],
      [{ cluster: { nodes }, combine: 1 }, /combine/],
      [{ url, connectionErrorPatterns: 'refused' }, /connectionErrorPatterns/],
      [{ url, closeClient: true }, /closeClient/],
      [{ client: {} }, /ioredis Redis or Cluster/],
      [{ client, connectTimeout: 100 }, /connectTimeout/],
      [{ cluster: { nodes }, password: 'x' }, /cluster\.redisOptions/],
      [{ cluster: { nodes: [] } }, /cluster\.nodes/],
      [{ cluster: { nodes, scaleReads: 'slave' } }, /scaleReads/],
      [{ cluster: { nodes, retryDelayOnFailover: 100 } }, /retryDelayOnFailover/],
      [{ cluster: { nodes, keyPrefix: 'p:' } }, /keyPrefix/],
      [{ cluster: { nodes, redisOptions: { autoResendUnfulfilledCommands: true } } }, /autoResend/],
      [{ url, autoResendUnfulfilledCommands: true }, /autoResendUnfulfilledCommands/],
      [{ url, readOnly: true }, /readOnly/],
      [{ url, password: 'x' }, /password/],
      [{ url, port: 6379 }, /port/],
      [{ url: `${url}?autoResendUnfulfilledCommands=true` }, /autoResendUnfulfilledCommands/],
    ];
    for (const [options, detail] of cases) await expectRejected(options, 'INVALID_CONFIG', detail);
    expect(client.status).toBe('wait');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listener.sockets).toHaveLength(0);
  });

  it('rejects a malformed url with INVALID_CONN_STRING without echoing it', async () => {
    const cases = [
      42,
      'not a url',
      'http://user:s3cret-pw@localhost:6379',
      'redis://',
      'redis://user:s3cret-pw@localhost:6379/not-a-db',
      'redis://localhost:99999',
    ];
    for (const url of cases) {
      const error = await rejection(createRedisBackend({ url } as RedisBackendOptions));
      expect(isKVError(error, 'INVALID_CONN_STRING'), String(error)).toBe(true);
      expect(inspect(error)).not.toContain('s3cret-pw');
    }
  });

  it('fails with CONNECTION_FAILED (unhealthy) when nothing listens', async () => {
    const port = await freePort();
    const error = await rejection(createRedisBackend({ url: `redis://127.0.0.1:${port}` }));
    expect(isKVError(error, 'CONNECTION_FAILED'), String(error)).toBe(true);
    expect((error as { unhealthy: boolean }).unhealthy).toBe(true);
    expect(inspect(error)).toContain('ECONNREFUSED');
  });

  it('gives up on a server that never answers within operationTimeout and closes its client', async () => {
    const listener = await silentListener();
    const started = performance.now();
    const error = await rejection(
      createRedisBackend({ url: `redis://127.0.0.1:${listener.port}`, operationTimeout: 300 }),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
    expect(isKVError(error, 'TIMEOUT'), String(error)).toBe(true);
    expect((error as { unhealthy: boolean }).unhealthy).toBe(true);
    // The client it built is gone: its socket is closed and no reconnection follows.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(listener.sockets.length).toBe(1);
    expect(listener.open()).toBe(0);
  });

  it('builds clients with the documented defaults, which callers may override', async () => {
    const single = await testBackend('single');
    expect(single.client.options).toMatchObject({
      ...OWNED_CLIENT_DEFAULTS,
      autoResendUnfulfilledCommands: false,
      readOnly: false,
    });
    const cluster = await testBackend('cluster');
    expect(cluster.client.options).toMatchObject({
      enableOfflineQueue: false,
      scaleReads: 'master',
      retryDelayOnFailover: 0,
      redisOptions: { ...OWNED_CLIENT_DEFAULTS, autoResendUnfulfilledCommands: false },
    });
    const tuned = await testBackend('single', { enableOfflineQueue: true, connectTimeout: 1_000 });
    expect(tuned.client.options).toMatchObject({ enableOfflineQueue: true, connectTimeout: 1_000 });
  });

  it('uses the db index and credentials of the url', async () => {
    const url = new URL(inject('redisUrl'));
    url.pathname = '/3';
    const kv = closeAfterTest(await createRedisBackend({ url: url.href, keyPrefix: 'db-test:' }));
    await kv.set('k', 'in db 3');
    const db3 = new Redis(url.href);
    try {
      expect(await db3.get('db-test:k')).toBe('in db 3');
      await db3.del('db-test:k');
    } finally {
      db3.disconnect();
    }
  });
});
