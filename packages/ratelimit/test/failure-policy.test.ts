import { KVError } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import {
  createRateLimiter,
  fixedWindow,
  type RateLimitStrategy,
  slidingWindow,
  tokenBucket,
} from '../src/index.js';
import { expectKVError, failingWhen, recording, unhealthy } from './helpers.js';

/** Each strategy with the limits of its quotas by name. */
const STRATEGIES: [string, RateLimitStrategy, Record<string, number>][] = [
  [
    'fixedWindow',
    fixedWindow({ quotas: { a: { limit: 2, windowMs: 1_000 }, b: { limit: 5, windowMs: 9_000 } } }),
    { a: 2, b: 5 },
  ],
  ['slidingWindow', slidingWindow({ limit: 2, windowMs: 1_000 }), { default: 2 }],
  ['tokenBucket', tokenBucket({ capacity: 2, refillPerSecond: 1 }), { default: 2 }],
];

describe.each(STRATEGIES)('failure policy on %s', (_, strategy, limits) => {
  it.each(['open', 'closed'] as const)(
    "'%s' decides with the error in failure, then recovers",
    async (policy) => {
      const state = { down: false };
      const kv = failingWhen(await createMemoryBackend(), () => state.down, unhealthy);
      const limiter = createRateLimiter({
        backend: kv,
        strategy,
        onBackendFailure: policy,
        now: () => 0,
      });
      expect((await limiter.allow('u')).failure).toBeUndefined();
      state.down = true;
      for (const decide of [() => limiter.allow('u'), () => limiter.peek('u')]) {
        const d = await decide();
        const policyDecision = {
          allowed: policy === 'open',
          remaining: 0,
          resetAfterMs: 0,
          retryAfterMs: policy === 'open' ? 0 : 1000,
        };
        expect(d).toMatchObject({ ...policyDecision, limit: 2 });
        // Every quota is listed, each with the policy's decision and its own limit.
        expect(d.quotas).toEqual(
          Object.fromEntries(
            Object.entries(limits).map(([name, limit]) => [name, { ...policyDecision, limit }]),
          ),
        );
        expect(d.failure).toMatchObject({ code: 'TIMEOUT', unhealthy: true });
      }
      state.down = false;
      const d = await limiter.allow('u');
      expect(d.failure).toBeUndefined();
      expect(d).toMatchObject({ allowed: true, remaining: 0 });
    },
  );
});

describe('errors that are not the policy’s', () => {
  it('an ABORTED in flight rejects even under open; so do CLOSED and reset failures', async () => {
    const aborted = (op: string) =>
      new KVError({
        code: 'ABORTED',
        backend: 'fake',
        op: 'increment',
        indeterminate: op !== 'get',
      });
    const kv = failingWhen(await createMemoryBackend(), () => true, aborted);
    const limiter = createRateLimiter({
      backend: kv,
      strategy: fixedWindow({ limit: 1, windowMs: 1 }),
      onBackendFailure: 'open',
    });
    await expectKVError(limiter.allow('u'), 'ABORTED');
    const closed = await createMemoryBackend();
    await closed.close();
    const onClosed = createRateLimiter({
      backend: closed,
      strategy: tokenBucket({ capacity: 1, refillPerSecond: 1 }),
      onBackendFailure: 'open',
    });
    await expectKVError(onClosed.allow('u'), 'CLOSED');
    const down = failingWhen(await createMemoryBackend(), () => true, unhealthy);
    const failingReset = createRateLimiter({
      backend: down,
      strategy: fixedWindow({ limit: 1, windowMs: 1 }),
      onBackendFailure: 'open',
    });
    await expectKVError(failingReset.reset('u'), 'TIMEOUT');
  });

  it('CONFLICT from update follows the policy', async () => {
    const conflict = () => new KVError({ code: 'CONFLICT', backend: 'fake', op: 'update' });
    const kv = failingWhen(await createMemoryBackend(), () => true, conflict);
    const limiter = createRateLimiter({
      backend: kv,
      strategy: tokenBucket({ capacity: 1, refillPerSecond: 1 }),
      onBackendFailure: 'closed',
    });
    const d = await limiter.allow('u');
    expect(d).toMatchObject({ allowed: false, retryAfterMs: 1000 });
    expect(d.failure?.code).toBe('CONFLICT');
  });

  it('an indeterminate increment is never retried: it could charge twice', async () => {
    let increments = 0;
    const flaky = failingWhen(await createMemoryBackend(), () => ++increments === 1, unhealthy);
    const limiter = createRateLimiter({
      backend: flaky,
      strategy: fixedWindow({ limit: 5, windowMs: 60_000 }),
      onBackendFailure: 'open',
    });
    const d = await limiter.allow('u');
    expect(d.failure?.indeterminate).toBe(true);
    expect(increments).toBe(1);
  });

  it.each(STRATEGIES.filter(([name]) => name !== 'fixedWindow'))(
    'an indeterminate commit of %s is never retried',
    async (_, strategy) => {
      let operations = 0;
      // The second operation, the commit after update's read, fails: it may have landed.
      const { kv, calls } = recording(
        failingWhen(await createMemoryBackend(), () => ++operations === 2, unhealthy),
      );
      const limiter = createRateLimiter({
        backend: kv,
        strategy,
        onBackendFailure: 'closed',
        now: () => 0,
      });
      const d = await limiter.allow('u');
      expect(d.failure).toMatchObject({ indeterminate: true });
      expect(calls).toEqual(['get', 'checkAndSet']);
    },
  );
});
