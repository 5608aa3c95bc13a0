import { once } from 'node:events';
import { FAILURE_CODE_BY_OP, isKVError, type KVError } from '@strongbox/core';
import {
  startRedisCluster,
  type ThrowawayRedisClusterService,
  waitUntil,
} from '@strongbox/test-services';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { closeAfterTest, uniqueName } from './helpers/backends.js';
import { dropConnections } from './helpers/connections.js';
import {
  EVERY_OPERATION,
  type OperationName,
  sleep,
  timedRejection,
  WRITES,
} from './helpers/faults.js';

/** Keys spread over the slots of all three masters. */
const KEYS = Array.from({ length: 30 }, (_, i) => `key-${i}`);

let cluster: ThrowawayRedisClusterService;

beforeAll(async () => {
  cluster = await startRedisCluster({ throwaway: true });
});

afterAll(async () => {
  await cluster?.stop();
});

async function clusterBackend() {
  const name = uniqueName('cluster-faults');
  return closeAfterTest(
    await createRedisBackend({
      keyPrefix: `${name}:`,
      cluster: { nodes: cluster.nodes, redisOptions: { connectionName: name } },
    }),
  );
}

describe('faults on a throwaway Redis Cluster', () => {
  it('a master restart is survived: unhealthy errors while it is down, then every key works again', async () => {
    const kv = await clusterBackend();
    for (const key of KEYS) await kv.set(key, 'v1');
    const [victim] = cluster.controls;
    if (victim === undefined) throw new Error('no node');

    await victim.shutdown();
    const failures: KVError[] = [];
    for (const key of KEYS) {
      const started = performance.now();
      await kv.checkAndSet(key, 'v1', 'v2').catch((error: unknown) => {
        expect(isKVError(error), String(error)).toBe(true);
        failures.push(error as KVError);
      });
      expect(performance.now() - started).toBeLessThanOrEqual(5_000 + 1_000);
    }
    expect(failures.length).toBeGreaterThan(0);
    for (const error of failures) expect(error.unhealthy, error.message).toBe(true);
    // ping fails once the cluster itself marks the master failed (cluster-node-timeout: 500 ms).
    await waitUntil(
      'ping to report the outage',
      () =>
        kv.ping().then(
          () => false,
          (error: unknown) => {
            expect(error).toMatchObject({ code: 'PING_FAILED', unhealthy: true });
            return true;
          },
        ),
      10_000,
      50,
    );

    await victim.restart();
    await waitUntil(
      'every key to be served again',
      async () => {
        const results = await Promise.allSettled(KEYS.map((key) => kv.get(key)));
        return results.every((result) => result.status === 'fulfilled');
      },
      20_000,
      200,
    );
    await kv.ping();
    // Keys of the restarted master are gone (no persistence); the others kept their writes.
    for (const key of KEYS) {
      const value = await kv.get(key);
      expect(['v1', 'v2', null]).toContain(value);
      expect(await kv.checkAndSet(key, value, 'v3')).toBe(true);
    }
  });

  it('a node connection lost with commands in flight: they reject at once, never re-sent', async () => {
    const kv = await clusterBackend();
    const client = kv.client as Cluster;
    const slot = Number(await client.cluster('KEYSLOT', `${kv.keyPrefix}k`));
    const [host, port] = (client.slots[slot]?.[0] ?? '').split(':');
    const owner = client.nodes('master').find((node) => String(node.options.port) === port);
    const controls = cluster.controls.find((node) => String(node.port) === port);
    if (owner === undefined || controls === undefined) throw new Error(`no node ${host}:${port}`);

    await controls.pause();
    const inFlight = Object.entries(EVERY_OPERATION)
      .filter(([op]) => op !== 'ping')
      .map(async ([op, run]) => ({ op, ...(await timedRejection(() => run(kv))) }));
    await sleep(50);
    (owner as unknown as { stream: { destroy(): void } }).stream.destroy();
    const results = await Promise.all(inFlight);
    await controls.resume();
    for (const { op, error } of results) {
      expect(error.code, error.message).toBe(FAILURE_CODE_BY_OP[op as OperationName]);
      expect(error.unhealthy).toBe(true);
      expect(error.indeterminate).toBe(WRITES.has(op));
    }
    await waitUntil(
      'the backend to recover',
      () =>
        kv.get('k').then(
          () => true,
          () => false,
        ),
      10_000,
      100,
    );
  });

  it("dropConnections cuts only that backend's node connections, and it recovers", async () => {
    const kv = await clusterBackend();
    const bystander = await clusterBackend();
    for (const key of KEYS) await kv.set(key, 'v');
    expect(await dropConnections(kv)).toBeGreaterThanOrEqual(3);
    for (const key of KEYS) expect(await bystander.get(key)).toBeNull();
    await waitUntil(
      'the backend to recover',
      () =>
        kv.ping().then(
          () => true,
          () => false,
        ),
      10_000,
      100,
    );
    for (const key of KEYS) expect(await kv.get(key)).toBe('v');
  });

  it('ping is unhealthy while the client reconnects, though its fresh node connections answer', async () => {
    const kv = await clusterBackend();
    const client = kv.client as Cluster;
    const reconnected = once(client, 'connect'); // the slots are loaded; the ready check is not done
    await dropConnections(kv);
    await reconnected;
    expect(client.status).toBe('connect');
    const { error } = await timedRejection(() => kv.ping());
    expect(error.code).toBe('PING_FAILED');
    expect(error.unhealthy).toBe(true);
  });
});
