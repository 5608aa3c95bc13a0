import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, fixedWindow } from '../src/index.js';
import { expectKVError, recording } from './helpers.js';

/** A memory backend on a clock the test moves: the fixed window runs on the backend's clock. */
async function setup(strategy = fixedWindow({ limit: 3, windowMs: 1_000 })) {
  const clock = { t: 0 };
  const kv = await createMemoryBackend({ clock: () => clock.t });
  // The app clock is deliberately wrong: a fixed window must not read it.
  const limiter = createRateLimiter({
    backend: kv,
    strategy,
    onBackendFailure: 'closed',
    now: () => 1e12,
  });
  return { clock, kv, limiter };
}

describe('fixedWindow', () => {
  it('admits limit calls per window, charges denials, and reports remaining, resetAfterMs and retryAfterMs', async () => {
    const { clock, limiter } = await setup();
    const seen = [];
    for (const t of [0, 100, 200, 300, 999]) {
      clock.t = t;
      const d = await limiter.allow('u');
      seen.push([d.allowed, d.remaining, d.resetAfterMs, d.retryAfterMs]);
    }
    expect(seen).toEqual([
      [true, 2, 1000, 0],
      [true, 1, 900, 0],
      [true, 0, 800, 0],
      [false, 0, 700, 700],
      [false, 0, 1, 1],
    ]);
    clock.t = 1_000; // the counter expired on the backend's clock: a new window
    const d = await limiter.allow('u');
    expect([d.allowed, d.remaining, d.resetAfterMs, d.limit]).toEqual([true, 2, 1000, 3]);
  });

  it('keeps keys apart', async () => {
    const { limiter } = await setup(fixedWindow({ limit: 1, windowMs: 1_000 }));
    expect((await limiter.allow('a')).allowed).toBe(true);
    expect((await limiter.allow('a')).allowed).toBe(false);
    expect((await limiter.allow('b')).allowed).toBe(true);
  });

  it('charges cost > 1 and denies a cost that no longer fits', async () => {
    const { limiter } = await setup(fixedWindow({ limit: 5, windowMs: 1_000 }));
    expect(await limiter.allow('u', { cost: 3 })).toMatchObject({ allowed: true, remaining: 2 });
    expect(await limiter.allow('u', { cost: 3 })).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: 1000,
    });
    // the denied call was charged (6 > 5): even cost 1 is denied now
    expect((await limiter.allow('u', { cost: 1 })).allowed).toBe(false);
  });

  it('denies a cost above the limit without I/O, with retryAfterMs Infinity', async () => {
    const { kv } = await setup();
    const { kv: watched, calls } = recording(kv);
    const limiter = createRateLimiter({
      backend: watched,
      strategy: fixedWindow({ limit: 3, windowMs: 1_000 }),
      onBackendFailure: 'open',
    });
    const d = await limiter.allow('u', { cost: 4 });
    expect(d).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: Number.POSITIVE_INFINITY,
    });
    expect((await limiter.peek('u', { cost: 4 })).allowed).toBe(false);
    expect(calls).toEqual([]);
  });

  it('a cost above one quota lists every quota: the exceeded one denies, the others are not consulted', async () => {
    const { kv } = await setup();
    const { kv: watched, calls } = recording(kv);
    const limiter = createRateLimiter({
      backend: watched,
      strategy: fixedWindow({
        quotas: { second: { limit: 2, windowMs: 1_000 }, minute: { limit: 3, windowMs: 60_000 } },
      }),
      onBackendFailure: 'open',
    });
    for (const decide of [
      () => limiter.allow('u', { cost: 3 }),
      () => limiter.peek('u', { cost: 3 }),
    ]) {
      const d = await decide();
      expect(d).toEqual({
        allowed: false,
        limit: 2,
        remaining: 0,
        resetAfterMs: 0,
        retryAfterMs: Number.POSITIVE_INFINITY,
        quotas: {
          second: {
            allowed: false,
            limit: 2,
            remaining: 0,
            resetAfterMs: 0,
            retryAfterMs: Number.POSITIVE_INFINITY,
          },
          minute: { allowed: true, limit: 3, remaining: 0, resetAfterMs: 0, retryAfterMs: 0 },
        },
      });
    }
    expect(calls).toEqual([]);
  });

  it('several quotas: every call charges each; the binding quota is the denying one with the longest wait', async () => {
    const { clock, limiter } = await setup(
      fixedWindow({
        quotas: { second: { limit: 2, windowMs: 1_000 }, minute: { limit: 3, windowMs: 60_000 } },
      }),
    );
    const a = await limiter.allow('u');
    expect(a).toMatchObject({ allowed: true, limit: 2, remaining: 1, resetAfterMs: 1_000 });
    expect(a.quotas).toEqual({
      second: { allowed: true, limit: 2, remaining: 1, resetAfterMs: 1_000, retryAfterMs: 0 },
      minute: { allowed: true, limit: 3, remaining: 2, resetAfterMs: 60_000, retryAfterMs: 0 },
    });
    await limiter.allow('u');
    const c = await limiter.allow('u'); // second: 3 > 2 denies; minute: 3 <= 3 allows
    expect(c).toMatchObject({ allowed: false, limit: 2, retryAfterMs: 1_000 });
    expect(c.quotas.minute).toMatchObject({ allowed: true, remaining: 0 });
    clock.t = 1_000;
    const d = await limiter.allow('u'); // second is fresh, minute is at 4 > 3
    expect(d).toMatchObject({ allowed: false, limit: 3, remaining: 0, retryAfterMs: 59_000 });
    expect(d.quotas.second).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('peek charges nothing and reset restores the full limit', async () => {
    const { clock, limiter, kv } = await setup();
    expect(await limiter.peek('u')).toMatchObject({ allowed: true, remaining: 3, resetAfterMs: 0 });
    expect(await kv.get('ratelimit:p:fixedWindow:default:u')).toBeNull(); // peek created nothing
    await limiter.allow('u', { cost: 3 });
    clock.t = 250;
    for (let i = 0; i < 3; i++) {
      expect(await limiter.peek('u')).toMatchObject({
        allowed: false,
        remaining: 0,
        resetAfterMs: 750,
        retryAfterMs: 750,
      });
    }
    await limiter.reset('u');
    expect(await limiter.peek('u')).toMatchObject({ allowed: true, remaining: 3 });
    expect((await limiter.allow('u', { cost: 3 })).allowed).toBe(true);
  });

  it('peek reads with get, and only for a live counter increments by 0 for its ttl', async () => {
    const clock = { t: 0 };
    const { kv, calls, args } = recording(await createMemoryBackend({ clock: () => clock.t }));
    const limiter = createRateLimiter({
      backend: kv,
      strategy: fixedWindow({ limit: 3, windowMs: 1_000 }),
      onBackendFailure: 'closed',
    });
    const stored = 'ratelimit:p:fixedWindow:default:u';
    await limiter.peek('u');
    expect(calls).toEqual(['get']); // absent: a zero increment would create it
    await limiter.allow('u');
    calls.length = 0;
    args.length = 0;
    await limiter.peek('u');
    expect(calls).toEqual(['get', 'increment']);
    expect(args[1]?.slice(0, 2)).toEqual([stored, 0]);
    expect(args[1]?.[2]).toMatchObject({ ttl: 1_000 });
    clock.t = 1_000; // the window ended: the counter is gone
    calls.length = 0;
    expect(await limiter.peek('u')).toMatchObject({ remaining: 3, resetAfterMs: 0 });
    expect(calls).toEqual(['get']);
  });

  it('rejects when someone else wrote the key', async () => {
    const { kv, limiter } = await setup();
    await kv.set('ratelimit:p:fixedWindow:default:u', 'hello');
    await expectKVError(limiter.allow('u'), 'NOT_A_COUNTER');
    await expectKVError(limiter.peek('u'), 'NOT_A_COUNTER');
    await kv.set('ratelimit:p:fixedWindow:default:v', '1'); // a counter without expiry would never reset
    await expectKVError(limiter.allow('v'), 'NOT_A_COUNTER');
  });

  it('stores under <prefix>p:fixedWindow:<quota>:<key>', async () => {
    const clock = { t: 0 };
    const kv = await createMemoryBackend({ clock: () => clock.t });
    const limiter = createRateLimiter({
      backend: kv,
      prefix: 'rl:',
      strategy: fixedWindow({ quotas: { hour: { limit: 9, windowMs: 3_600_000 } } }),
      onBackendFailure: 'open',
    });
    await limiter.allow('user:42', { cost: 2 });
    expect(await kv.get('rl:p:fixedWindow:hour:user:42')).toBe('2');
  });
});
