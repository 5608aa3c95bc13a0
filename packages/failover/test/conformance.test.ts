import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { createMemoryBackend } from '@strongbox/memory';
import type { RedisBackend } from '@strongbox/redis';
import { startRedis, type ThrowawayRedisService } from '@strongbox/test-services';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFailoverBackend } from '../src/index.js';
import { redisPrimary } from './helpers/backends.js';

const runner = {
  describe,
  it: (name: string, fn: () => Promise<void>) => it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS),
};

describeConformance({
  name: '@strongbox/failover with a healthy Redis primary',
  create: async () =>
    createFailoverBackend({
      primary: await redisPrimary(inject('redisUrl')),
      fallback: await createMemoryBackend(),
      closePrimary: true,
      closeFallback: true,
    }),
  runner,
});

// A primary whose server is gone: every call to it fails at once with an unhealthy error.
let deadServer: ThrowawayRedisService;
let deadPrimary: RedisBackend;
const FAILURE_THRESHOLD = 3;

beforeAll(async () => {
  deadServer = await startRedis({ throwaway: true });
  deadPrimary = await redisPrimary(deadServer.url);
  await deadServer.controls.shutdown();
});

afterAll(async () => {
  await deadPrimary?.close();
  await deadServer?.stop();
});

describeConformance({
  name: '@strongbox/failover while failed over to memory',
  create: async () => {
    const kv = await createFailoverBackend({
      primary: deadPrimary,
      fallback: await createMemoryBackend(),
      closeFallback: true,
      failureThreshold: FAILURE_THRESHOLD,
      // Longer than the run: no probe sends a call back to the dead primary.
      cooldownMs: 60 * 60_000,
    });
    // Reads against the unreachable primary trip the breaker (each is replayed on the fallback).
    for (let i = 0; i < FAILURE_THRESHOLD; i += 1) {
      expect(await kv.get('trip')).toBeNull();
    }
    expect(kv.state).toBe('fallback');
    return kv;
  },
  runner,
});
