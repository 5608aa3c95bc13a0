import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, slidingWindow } from '../src/index.js';
import { expectKVError } from './helpers.js';

async function setup(limit = 4, windowMs = 1_000) {
  const clock = { now: 0 };
  const kv = await createMemoryBackend();
  const limiter = createRateLimiter({
    backend: kv,
    strategy: slidingWindow({ limit, windowMs }),
    onBackendFailure: 'closed',
    now: () => clock.now,
  });
  return { clock, kv, limiter };
}

describe('slidingWindow (weighted two-window estimate)', () => {
  it('weights the previous window by the part still inside the sliding window', async () => {
    const { clock, limiter } = await setup();
    const first = [];
    for (let i = 0; i < 5; i++) first.push(await limiter.allow('u'));
    expect(first.map((d) => [d.allowed, d.remaining, d.resetAfterMs, d.retryAfterMs])).toEqual([
      [true, 3, 2_000, 0],
      [true, 2, 2_000, 0],
      [true, 1, 2_000, 0],
      [true, 0, 2_000, 0],
      // the next window must start and 4·(1 − offset/1000) + 1 <= 4: offset 250
      [false, 0, 2_000, 1_250],
    ]);
    clock.now = 1_249; // estimate 4·0.751 = 3.004: one more does not fit
    expect(await limiter.allow('u')).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: 1,
    });
    clock.now = 1_250; // estimate 3
    expect(await limiter.allow('u')).toMatchObject({
      allowed: true,
      remaining: 0,
      resetAfterMs: 1_750,
    });
    // estimate 4·0.75 + 1 = 4; it fits again once 4·(1 − o/1000) + 1 + 1 <= 4: o = 500
    expect(await limiter.allow('u')).toMatchObject({ allowed: false, retryAfterMs: 250 });
    clock.now = 1_500;
    expect(await limiter.allow('u')).toMatchObject({ allowed: true, remaining: 0 });
    clock.now = 2_000; // the window of the 2 calls at 1xxx is the previous one, weighing 100%
    expect(await limiter.peek('u')).toMatchObject({ remaining: 2, resetAfterMs: 1_000 });
    clock.now = 3_000; // two windows on: nothing counts
    expect(await limiter.peek('u')).toMatchObject({ remaining: 4, resetAfterMs: 0 });
  });

  it('charges cost > 1 only when admitted; peek charges nothing; reset restores', async () => {
    const { limiter } = await setup();
    expect(await limiter.allow('u', { cost: 3 })).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.allow('u', { cost: 2 })).toMatchObject({ allowed: false, remaining: 1 });
    expect(await limiter.peek('u')).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.allow('u')).toMatchObject({ allowed: true, remaining: 0 });
    await limiter.reset('u');
    expect(await limiter.peek('u')).toMatchObject({ remaining: 4 });
  });

  it('never admits more than limit in one aligned window, and a clock stepping back is clamped', async () => {
    const { clock, limiter } = await setup(3, 1_000);
    clock.now = 10_500;
    let admitted = 0;
    for (let i = 0; i < 10; i++) admitted += (await limiter.allow('u')).allowed ? 1 : 0;
    expect(admitted).toBe(3);
    clock.now = 9_000; // back into an older window: treated as the stored window's start
    expect((await limiter.allow('u')).allowed).toBe(false);
  });

  it('rejects state it did not write', async () => {
    const { kv, limiter } = await setup();
    await kv.set('ratelimit:p:slidingWindow:default:u', '1:2');
    await expectKVError(limiter.allow('u'), 'INVALID_VALUE');
  });
});
