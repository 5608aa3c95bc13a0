import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { createFixedWindowLimiter } from '../src/fixed-window-limiter.js';
import { fakeClock } from './fake-clock.js';
import { withFaults } from './faults.js';
import { withJitter } from './jitter.js';

const WINDOW_MS = 1000;
const LIMIT = 10;

async function setup() {
  const clock = fakeClock();
  const memory = await createMemoryBackend({ clock: clock.now });
  return { clock, memory };
}

async function admittedOf(hits: Promise<{ allowed: boolean }>[]): Promise<number> {
  return (await Promise.all(hits)).filter((decision) => decision.allowed).length;
}

describe('fixed-window limiter', () => {
  it('admits exactly `limit` of many concurrent requests, window after window', async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    const limiter = createFixedWindowLimiter(withJitter(kv), {
      limit: LIMIT,
      windowMs: WINDOW_MS,
      onBackendFailure: 'closed',
    });
    for (let window = 0; window < 5; window++) {
      const hits = Array.from({ length: 60 }, () => limiter.hit('user:1'));
      expect(await admittedOf(hits)).toBe(LIMIT);
      clock.advance(WINDOW_MS);
    }
  });

  it('counts keys separately', async () => {
    const { memory } = await setup();
    await using kv = memory;
    const limiter = createFixedWindowLimiter(kv, {
      limit: 1,
      windowMs: WINDOW_MS,
      onBackendFailure: 'closed',
    });
    expect((await limiter.hit('user:1')).allowed).toBe(true);
    expect((await limiter.hit('user:2')).allowed).toBe(true);
    expect((await limiter.hit('user:1')).allowed).toBe(false);
  });

  it('ends the window at its first request plus windowMs, however late the last increment', async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    const limiter = createFixedWindowLimiter(kv, {
      limit: LIMIT,
      windowMs: WINDOW_MS,
      onBackendFailure: 'closed',
    });
    expect(await limiter.hit('user:1')).toMatchObject({ allowed: true, remaining: LIMIT - 1 });
    clock.advance(WINDOW_MS - 1);
    for (let i = 1; i < LIMIT; i++) expect((await limiter.hit('user:1')).allowed).toBe(true);
    expect(await limiter.hit('user:1')).toMatchObject({ allowed: false, remaining: 0 });
    clock.advance(1); // the increments kept the first request's TTL
    expect(await limiter.hit('user:1')).toMatchObject({ allowed: true, remaining: LIMIT - 1 });
  });

  it("reports what is left of the window on the backend's clock", async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    const limiter = createFixedWindowLimiter(kv, {
      limit: LIMIT,
      windowMs: WINDOW_MS,
      onBackendFailure: 'closed',
    });
    expect(await limiter.hit('user:1')).toMatchObject({ resetAfterMs: WINDOW_MS });
    clock.advance(400);
    expect(await limiter.hit('user:1')).toMatchObject({ resetAfterMs: WINDOW_MS - 400 });
  });

  it('rejects a window that would never end', async () => {
    const { memory } = await setup();
    await using kv = memory;
    expect(() =>
      createFixedWindowLimiter(kv, { limit: 1, windowMs: 0, onBackendFailure: 'open' }),
    ).toThrow(RangeError);
  });

  describe('when the backend fails', () => {
    it('admits while it is unavailable when failing open, and says why', async () => {
      const { memory } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      const limiter = createFixedWindowLimiter(kv, {
        limit: 1,
        windowMs: WINDOW_MS,
        onBackendFailure: 'open',
      });
      inject('increment', 'unhealthy');
      const decision = await limiter.hit('user:1');
      expect(decision.allowed).toBe(true);
      expect(decision.failure).toMatchObject({ code: 'INCREMENT_FAILED', unhealthy: true });
    });

    it('rejects while it is unavailable when failing closed', async () => {
      const { memory } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      const limiter = createFixedWindowLimiter(kv, {
        limit: 5,
        windowMs: WINDOW_MS,
        onBackendFailure: 'closed',
      });
      inject('increment', 'unhealthy');
      expect(await limiter.hit('user:1')).toMatchObject({
        allowed: false,
        failure: { unhealthy: true },
      });
    });

    it('does not retry an indeterminate increment, which counts at most once', async () => {
      const { memory } = await setup();
      await using inner = memory;
      const { kv, inject, untriggered } = withFaults(inner);
      const limiter = createFixedWindowLimiter(kv, {
        limit: 5,
        windowMs: WINDOW_MS,
        onBackendFailure: 'closed',
      });
      await limiter.hit('user:1');
      inject('increment', 'applied'); // the increment landed but its reply was lost
      expect(await limiter.hit('user:1')).toMatchObject({
        allowed: false,
        failure: { code: 'TIMEOUT', indeterminate: true },
      });
      expect(untriggered()).toBe(0);
      expect(await inner.get('user:1')).toBe('2');
    });

    it('rethrows errors that are no outage', async () => {
      const { memory } = await setup();
      const limiter = createFixedWindowLimiter(memory, {
        limit: 5,
        windowMs: WINDOW_MS,
        onBackendFailure: 'open',
      });
      await memory.close();
      await expect(limiter.hit('user:1')).rejects.toMatchObject({ code: 'CLOSED' });
    });
  });
});
