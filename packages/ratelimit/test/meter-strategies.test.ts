import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import {
  createRateLimiter,
  gcra,
  leakyBucket,
  type RateLimitStrategy,
  tokenBucket,
} from '../src/index.js';
import { expectKVError, recording } from './helpers.js';

async function setup(strategy: RateLimitStrategy) {
  const clock = { now: 0 };
  const kv = await createMemoryBackend();
  const limiter = createRateLimiter({
    backend: kv,
    strategy,
    onBackendFailure: 'closed',
    now: () => clock.now,
  });
  return { clock, kv, limiter };
}

// Three definitions of one meter: 3 at once, then one more every 500 ms.
const SAME_METER: [string, RateLimitStrategy][] = [
  ['tokenBucket', tokenBucket({ capacity: 3, refillPerSecond: 2 })],
  ['leakyBucket', leakyBucket({ capacity: 3, leakPerSecond: 2 })],
  ['gcra', gcra({ limit: 2, periodMs: 1_000, burst: 3 })],
];

describe.each(SAME_METER)('%s', (kind, strategy) => {
  it('admits the capacity at once, then one per interval; denials are not charged', async () => {
    const { clock, limiter } = await setup(strategy);
    const seen = [];
    for (const [now, cost] of [
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [250, 1],
      [500, 1],
      [500, 1],
      [1_000, 2],
      [1_500, 2],
      [1_500, 1],
    ] as const) {
      clock.now = now;
      const d = await limiter.allow('u', { cost });
      seen.push([now, d.allowed, d.remaining, d.resetAfterMs, d.retryAfterMs, d.limit]);
    }
    expect(seen).toEqual([
      [0, true, 2, 500, 0, 3],
      [0, true, 1, 1_000, 0, 3],
      [0, true, 0, 1_500, 0, 3],
      [0, false, 0, 1_500, 500, 3],
      [250, false, 0, 1_250, 250, 3],
      [500, true, 0, 1_500, 0, 3],
      [500, false, 0, 1_500, 500, 3],
      [1_000, false, 1, 1_000, 500, 3], // cost 2 needs 2 free: 1 is
      [1_500, true, 0, 1_500, 0, 3],
      [1_500, false, 0, 1_500, 500, 3],
    ]);
    expect((await limiter.peek('u')).quotas).toHaveProperty('default');
    expect(kind).toBeTruthy();
  });

  it('refills to exactly the capacity, never above it', async () => {
    const { clock, limiter } = await setup(strategy);
    await limiter.allow('u');
    clock.now = 1_000_000;
    expect(await limiter.peek('u')).toMatchObject({ allowed: true, remaining: 3, resetAfterMs: 0 });
    expect(await limiter.allow('u', { cost: 3 })).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('peek charges nothing; reset restores; a cost above the capacity is denied without I/O', async () => {
    const { clock, kv, limiter } = await setup(strategy);
    await limiter.allow('u', { cost: 2 });
    for (let i = 0; i < 3; i++)
      expect(await limiter.peek('u')).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.peek('u', { cost: 2 })).toMatchObject({
      allowed: false,
      retryAfterMs: 500,
    });
    await limiter.reset('u');
    expect(await limiter.peek('u')).toMatchObject({ remaining: 3, resetAfterMs: 0 });
    const { kv: watched, calls } = recording(kv);
    const alone = createRateLimiter({
      backend: watched,
      strategy,
      onBackendFailure: 'open',
      now: () => clock.now,
    });
    expect(await alone.allow('u', { cost: 4 })).toMatchObject({
      allowed: false,
      retryAfterMs: Number.POSITIVE_INFINITY,
    });
    expect(calls).toEqual([]);
  });

  it('a clock that steps back sees no refill and takes nothing extra', async () => {
    const { clock, limiter } = await setup(strategy);
    clock.now = 10_000;
    await limiter.allow('u', { cost: 3 });
    clock.now = 5_000; // 5 s back: elapsed is clamped to 0
    expect(await limiter.allow('u')).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: 500,
    });
    clock.now = 10_500; // one unit back, measured from the stored time
    expect((await limiter.allow('u')).allowed).toBe(true);
    expect((await limiter.allow('u')).allowed).toBe(false);
  });

  it('rejects state it did not write', async () => {
    const { kv, limiter } = await setup(strategy);
    await kv.set(`ratelimit:p:${kind}:default:u`, 'garbage');
    await expectKVError(limiter.allow('u'), 'INVALID_VALUE');
    await expectKVError(limiter.peek('u'), 'INVALID_VALUE');
  });

  it('stores state that expires once the meter is full again', async () => {
    const clock = { t: 0 };
    const kv = await createMemoryBackend({ clock: () => clock.t });
    const limiter = createRateLimiter({
      backend: kv,
      strategy,
      onBackendFailure: 'closed',
      now: () => 0,
    });
    await limiter.allow('u', { cost: 2 });
    clock.t = 999;
    expect(await kv.get(`ratelimit:p:${kind}:default:u`)).not.toBeNull();
    clock.t = 1_000;
    expect(await kv.get(`ratelimit:p:${kind}:default:u`)).toBeNull();
  });
});

describe('meter edge cases', () => {
  it('gcra: burst defaults to limit, then one per periodMs / limit', async () => {
    const { clock, limiter } = await setup(gcra({ limit: 4, periodMs: 1_000 }));
    const admitted = [];
    for (let i = 0; i < 5; i++) admitted.push((await limiter.allow('u')).allowed);
    expect(admitted).toEqual([true, true, true, true, false]);
    expect((await limiter.peek('u')).limit).toBe(4);
    clock.now = 249;
    expect(await limiter.allow('u')).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.now = 250;
    expect((await limiter.allow('u')).allowed).toBe(true);
  });

  it('a fractional interval (1000 / 3 ms) lands exactly on its boundaries', async () => {
    const { clock, limiter } = await setup(tokenBucket({ capacity: 3, refillPerSecond: 3 }));
    await limiter.allow('u', { cost: 3 });
    clock.now = 333;
    expect(await limiter.allow('u')).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.now = 1_000;
    expect(await limiter.peek('u')).toMatchObject({ remaining: 3, resetAfterMs: 0 });
  });
});
