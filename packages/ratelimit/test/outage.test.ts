import type { KVBackend } from '@strongbox/core';
import { createPostgresBackend } from '@strongbox/postgres';
import { createRedisBackend } from '@strongbox/redis';
import { startPostgres, startRedis, startRedisCluster, waitUntil } from '@strongbox/test-services';
import type { Cluster } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createRateLimiter, fixedWindow, tokenBucket } from '../src/index.js';

/** The backends' deadline in this test, and slack for timers firing late on a loaded machine. */
const OPERATION_TIMEOUT_MS = 1_000;
const SCHEDULING_SLACK_MS = 2_000;
/** The limited key; its hash tag puts every limiter key of it in one cluster slot. */
const KEY = '{k}';

interface Outage {
  backend: KVBackend;
  shutdown(): Promise<void>;
  restart(): Promise<void>;
}

const SERVERS: Record<string, () => Promise<Outage>> = {
  redis: async () => {
    const server = await startRedis({ throwaway: true });
    onTestFinished(() => server.stop());
    const backend = await createRedisBackend({
      url: server.url,
      operationTimeout: OPERATION_TIMEOUT_MS,
    });
    onTestFinished(() => backend.close());
    return {
      backend,
      shutdown: () => server.controls.shutdown(),
      restart: () => server.controls.restart(),
    };
  },
  postgres: async () => {
    const server = await startPostgres({ throwaway: true });
    onTestFinished(() => server.stop());
    const backend = await createPostgresBackend({
      url: server.url,
      operationTimeout: OPERATION_TIMEOUT_MS,
    });
    onTestFinished(() => backend.close());
    return {
      backend,
      shutdown: () => server.controls.shutdown(),
      restart: () => server.controls.restart(),
    };
  },
  cluster: async () => {
    const cluster = await startRedisCluster({ throwaway: true });
    onTestFinished(() => cluster.stop());
    const backend = await createRedisBackend({
      cluster: { nodes: cluster.nodes },
      operationTimeout: OPERATION_TIMEOUT_MS,
    });
    onTestFinished(() => backend.close());
    // The outage is the master that serves the key's slot; the other two stay up.
    const client = backend.client as Cluster;
    const slot = Number(await client.cluster('KEYSLOT', KEY));
    const port = (client.slots[slot]?.[0] ?? '').split(':')[1];
    const owner = cluster.controls.find((node) => String(node.port) === port);
    if (owner === undefined) throw new Error(`no node serves slot ${slot}`);
    return { backend, shutdown: () => owner.shutdown(), restart: () => owner.restart() };
  },
};

describe.each(Object.entries(SERVERS))('a real %s outage', (_, start) => {
  it('open admits and closed denies within the deadline with failure set, then both recover', async () => {
    const { backend, shutdown, restart } = await start();
    const limiters = (['open', 'closed'] as const).map((onBackendFailure) =>
      createRateLimiter({
        backend,
        prefix: `${onBackendFailure}:`,
        strategy: fixedWindow({ limit: 5, windowMs: 60_000 }),
        secondary: tokenBucket({ capacity: 5, refillPerSecond: 1 }),
        onBackendFailure,
      }),
    );
    for (const limiter of limiters) expect((await limiter.allow(KEY)).failure).toBeUndefined();

    await shutdown();
    for (const [i, limiter] of limiters.entries()) {
      const started = performance.now();
      const d = await limiter.allow(KEY);
      const took = performance.now() - started;
      expect(d.allowed).toBe(i === 0);
      expect(d.failure?.unhealthy, String(d.failure)).toBe(true);
      expect(d).toMatchObject({ remaining: 0, resetAfterMs: 0, retryAfterMs: i === 0 ? 0 : 1000 });
      expect(Object.keys(d.quotas)).toEqual(['default', 'secondary:default']);
      expect(took).toBeLessThan(OPERATION_TIMEOUT_MS + SCHEDULING_SLACK_MS);
    }

    await restart();
    // The same limiters recover once the backend reconnects by itself.
    await waitUntil(
      'the limiters to decide from the backend again',
      async () =>
        (await Promise.all(limiters.map((l) => l.peek(KEY)))).every((d) => d.failure === undefined),
      20_000,
      200,
    );
    for (const limiter of limiters) {
      const d = await limiter.allow(KEY);
      expect(d.failure).toBeUndefined();
      expect(d.allowed).toBe(true);
    }
  });
});
