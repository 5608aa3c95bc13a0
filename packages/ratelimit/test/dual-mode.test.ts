import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, fixedWindow, tokenBucket } from '../src/index.js';

async function setup(primaryLimit: number, secondaryCapacity: number) {
  // A still clock: the window's TTL is read from the backend's clock, which must not tick
  // between the calls (a millisecond passing made resetAfterMs 59,999 under Bun).
  const kv = await createMemoryBackend({ clock: () => 0 });
  const limiter = createRateLimiter({
    backend: kv,
    strategy: fixedWindow({ limit: primaryLimit, windowMs: 60_000 }),
    secondary: tokenBucket({ capacity: secondaryCapacity, refillPerSecond: 1 }),
    onBackendFailure: 'closed',
    now: () => 0,
  });
  return { kv, limiter };
}

describe('dual mode: both must allow', () => {
  it('a denial by secondary leaves the primary charge in place', async () => {
    const { kv, limiter } = await setup(5, 2);
    expect((await limiter.allow('u')).allowed).toBe(true);
    expect((await limiter.allow('u')).allowed).toBe(true);
    const third = await limiter.allow('u');
    expect(third).toMatchObject({ allowed: false, limit: 2, retryAfterMs: 1_000 });
    expect(third.quotas).toMatchObject({
      default: { allowed: true, remaining: 2 },
      'secondary:default': { allowed: false, remaining: 0 },
    });
    expect(await kv.get('ratelimit:p:fixedWindow:default:u')).toBe('3');
  });

  it('secondary is not evaluated, so not charged, when the primary denies', async () => {
    const { limiter } = await setup(1, 5);
    expect((await limiter.allow('u')).allowed).toBe(true);
    const denied = await limiter.allow('u');
    expect(denied.allowed).toBe(false);
    // Listed, not consulted: it did not deny, and nothing is known of its state.
    expect(denied.quotas).toEqual({
      default: {
        allowed: false,
        limit: 1,
        remaining: 0,
        resetAfterMs: 60_000,
        retryAfterMs: 60_000,
      },
      'secondary:default': {
        allowed: true,
        limit: 5,
        remaining: 0,
        resetAfterMs: 0,
        retryAfterMs: 0,
      },
    });
    expect((await limiter.peek('u')).quotas['secondary:default']).toMatchObject({ remaining: 4 });
  });

  it('when both allow, the binding quota is the one with the least remaining; reset clears both', async () => {
    const { limiter } = await setup(10, 3);
    const d = await limiter.allow('u');
    expect(d).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
    await limiter.reset('u');
    const p = await limiter.peek('u');
    expect(p.quotas).toMatchObject({
      default: { remaining: 10 },
      'secondary:default': { remaining: 3 },
    });
  });

  it('a cost above either strategy limit is denied without charging either', async () => {
    const { kv, limiter } = await setup(10, 3);
    const d = await limiter.allow('u', { cost: 4 });
    expect(d).toMatchObject({ allowed: false, retryAfterMs: Number.POSITIVE_INFINITY });
    expect(d.quotas).toEqual({
      default: { allowed: true, limit: 10, remaining: 0, resetAfterMs: 0, retryAfterMs: 0 },
      'secondary:default': {
        allowed: false,
        limit: 3,
        remaining: 0,
        resetAfterMs: 0,
        retryAfterMs: Number.POSITIVE_INFINITY,
      },
    });
    expect(await kv.get('ratelimit:p:fixedWindow:default:u')).toBeNull();
  });
});
