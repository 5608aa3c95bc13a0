import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { type Decision, FixedWindowLimiter } from '../src/rate-limiter.js';
import { checkLimit } from '../src/report.js';

describe('FixedWindowLimiter', () => {
  it('admits exactly the limit out of many concurrent requests in one window', async () => {
    await using backend = await createMemoryBackend();
    const limiter = new FixedWindowLimiter({ backend, limit: 10, windowMs: 60_000 });
    const decisions = await Promise.all(
      Array.from({ length: 200 }, () => limiter.acquire('client')),
    );
    const admitted = decisions.filter((d) => d.allowed);
    expect(admitted).toHaveLength(10);
    expect(admitted.map((d) => d.count).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(new Set(admitted.map((d) => d.windowId)).size).toBe(1);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.reason === 'limit')).toBe(true);
    expect(decisions.some((d) => d.conflicts > 0)).toBe(true);
  });

  it('keeps the window end of its first request and opens a new window after it', async () => {
    let now = 0;
    await using backend = await createMemoryBackend({ clock: () => now });
    const limiter = new FixedWindowLimiter({ backend, limit: 3, windowMs: 100 });
    const first = await limiter.acquire('c');
    now = 90;
    expect((await limiter.acquire('c')).allowed).toBe(true);
    expect((await limiter.acquire('c')).allowed).toBe(true);
    now = 99;
    expect(await limiter.acquire('c')).toMatchObject({ allowed: false, reason: 'limit' });
    now = 100;
    const next = await limiter.acquire('c');
    expect(next).toMatchObject({ allowed: true, count: 1 });
    expect(next.windowId).not.toBe(first.windowId);
  });

  it('keeps clients apart', async () => {
    await using backend = await createMemoryBackend();
    const limiter = new FixedWindowLimiter({ backend, limit: 1, windowMs: 60_000 });
    expect((await limiter.acquire('a')).allowed).toBe(true);
    expect((await limiter.acquire('b')).allowed).toBe(true);
    expect((await limiter.acquire('a')).allowed).toBe(false);
  });

  it('never exceeds the limit while windows roll over under concurrent load', async () => {
    let now = 0;
    await using backend = await createMemoryBackend({ clock: () => now });
    const limit = 5;
    const limiter = new FixedWindowLimiter({ backend, limit, windowMs: 50 });
    const decisions: Decision[] = [];
    const worker = async (id: number) => {
      for (let i = 0; i < 100; i++) {
        decisions.push(await limiter.acquire(`client-${id % 3}`));
        if (i % 7 === id % 7) now += 3; // workers move the backend's clock as they go
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, id) => worker(id)));
    const check = checkLimit(decisions, limit);
    expect(check.violations).toBe(0);
    expect(check.busiestWindow).toBe(limit);
    expect(check.windows).toBeGreaterThan(10);
  });

  it('denies rather than over-admits when it keeps losing the CAS race', async () => {
    await using backend = await createMemoryBackend();
    const limiter = new FixedWindowLimiter({
      backend,
      limit: 100,
      windowMs: 60_000,
      maxAttempts: 1,
    });
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.acquire('hot')));
    const contended = decisions.filter((d) => d.reason === 'contention');
    expect(contended.length).toBeGreaterThan(0);
    expect(contended.every((d) => !d.allowed)).toBe(true);
    expect(decisions.filter((d) => d.allowed).length).toBe(50 - contended.length);
    expect(await backend.get('ratelimit:hot')).toMatch(new RegExp(`:${50 - contended.length}$`));
  });

  it('rejects a window value it did not write', async () => {
    await using backend = await createMemoryBackend();
    await backend.set('ratelimit:x', 'garbage');
    const limiter = new FixedWindowLimiter({ backend, limit: 1, windowMs: 1000 });
    await expect(limiter.acquire('x')).rejects.toThrow(/not a rate-limit window/);
  });
});
