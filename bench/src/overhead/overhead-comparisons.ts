import type { KVBackend } from '@strongbox/core';
import { createFailoverBackend } from '@strongbox/failover';
import { createMemoryBackend } from '@strongbox/memory';
import { instrumentStrongbox } from '@strongbox/opentelemetry';
import { createRedisBackend } from '@strongbox/redis';
import { startBenchRedis } from '../servers/redis-servers.js';
import { startOpenTelemetrySdk } from './opentelemetry-sdk.js';
import type { OverheadComparison } from './overhead-comparison.js';

/** The comparisons `pnpm bench:overhead` knows, in the order they run. */
export type OverheadGroup = 'failover-memory' | 'failover-redis' | 'instrumentation';
export const OVERHEAD_GROUPS: readonly OverheadGroup[] = [
  'failover-memory',
  'failover-redis',
  'instrumentation',
];

/** Start what a group needs (a Redis server for `failover-redis`) and return its comparison. */
export async function startComparison(group: OverheadGroup): Promise<OverheadComparison> {
  switch (group) {
    case 'failover-memory': {
      const primary = await createMemoryBackend();
      return failoverComparison('memory', primary, 'createMemoryBackend()', [1, 64], () =>
        primary.close(),
      );
    }
    case 'failover-redis': {
      const server = await startBenchRedis('single');
      const [node] = server.nodes;
      if (node === undefined) throw new Error('no Redis node');
      const primary = await createRedisBackend({ url: `redis://${node.host}:${node.port}` });
      return failoverComparison(
        'redis',
        primary,
        'createRedisBackend() defaults',
        [64],
        async () => {
          await primary.close();
          await server.stop();
        },
      );
    }
    case 'instrumentation':
      return instrumentationComparison();
  }
}

/**
 * The primary called directly against the same backend object behind failover (with a memory
 * fallback that never serves): both sides read and write the same data.
 */
async function failoverComparison(
  backend: 'memory' | 'redis',
  primary: KVBackend,
  primaryDescription: string,
  concurrencies: number[],
  closePrimary: () => Promise<void>,
): Promise<OverheadComparison> {
  const fallback = await createMemoryBackend();
  const failover = await createFailoverBackend({ primary, fallback });
  return {
    subject: 'failover',
    backend,
    baseline: { label: 'direct', description: primaryDescription, kv: primary },
    variant: {
      label: 'failover',
      description: `createFailoverBackend({ primary: ${backend}, fallback: createMemoryBackend() }), breaker closed`,
      kv: failover,
    },
    concurrencies,
    async close() {
      await failover.close();
      await fallback.close();
      await closePrimary();
    },
  };
}

/**
 * One memory backend without a diagnostics subscriber against the same backend while
 * `instrumentStrongbox()` listens with the OpenTelemetry SDK behind it.
 */
async function instrumentationComparison(): Promise<OverheadComparison> {
  const kv = await createMemoryBackend();
  const sdk = startOpenTelemetrySdk();
  return {
    subject: 'instrumentation',
    backend: 'memory',
    baseline: {
      label: 'no subscriber',
      description: 'createMemoryBackend(), nothing subscribed',
      kv,
    },
    variant: {
      label: 'OpenTelemetry',
      description: `the same backend while instrumentStrongbox() listens (${sdk.description})`,
      kv,
      enter() {
        const instrumentation = instrumentStrongbox(sdk.providers);
        return () => instrumentation.disable();
      },
    },
    concurrencies: [64],
    async close() {
      await kv.close();
      await sdk.shutdown();
    },
  };
}
