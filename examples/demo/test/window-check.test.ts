import { createMemoryBackend } from '@strongbox/memory';
import { createRateLimiter, fixedWindow } from '@strongbox/ratelimit';
import { describe, expect, it } from 'vitest';
import type { Admission } from '../src/simulation.js';
import { checkWindows, mergeChecks } from '../src/window-check.js';

/** `count` admissions answered at once at `at`, in a window that ends at `end`. */
function admissions(count: number, at: number, end: number, latency = 0): Admission[] {
  return Array.from({ length: count }, () => ({
    sentAt: at,
    answeredAt: at + latency,
    resetAfterMs: end - at,
  }));
}

describe('checkWindows', () => {
  it('groups admissions by window end and finds the busiest window', () => {
    const check = checkWindows(
      [...admissions(3, 0, 100), ...admissions(2, 60, 100), ...admissions(4, 130, 230)],
      5,
      100,
    );
    expect(check).toEqual({ groups: 2, blurred: 0, busiestWindow: 5, violations: 0 });
  });

  it('reports a window that admitted more than the limit', () => {
    const check = checkWindows([...admissions(4, 0, 100), ...admissions(2, 90, 100)], 5, 100);
    expect(check).toMatchObject({ groups: 1, busiestWindow: 6, violations: 1 });
  });

  it('checks windows it cannot tell apart at the limit per window they may span', () => {
    // Answers almost a window slow: the end ranges of consecutive windows (ends 100 and 200)
    // overlap into one group covering 98..299, which may hold 3 windows of 5.
    const slow = [...admissions(5, 0, 100, 97), ...admissions(5, 100, 200, 97)];
    expect(checkWindows(slow, 5, 100)).toEqual({
      groups: 1,
      blurred: 1,
      busiestWindow: 0,
      violations: 0,
    });
    expect(checkWindows([...slow, ...admissions(5, 100, 200, 97)], 5, 100).violations).toBe(0);
    expect(checkWindows([...slow, ...admissions(6, 100, 200, 97)], 5, 100).violations).toBe(1);
  });

  it('adds up the checks of several keys', () => {
    const a = checkWindows(admissions(2, 0, 10), 2, 10);
    const b = checkWindows(admissions(3, 0, 10), 2, 10);
    expect(mergeChecks([a, b])).toEqual({
      groups: 2,
      blurred: 0,
      busiestWindow: 3,
      violations: 1,
    });
  });

  it('holds for @strongbox/ratelimit under concurrent load as windows roll over, and catches a looser limit', async () => {
    let now = 0;
    await using backend = await createMemoryBackend({ clock: () => now });
    const limit = 5;
    const windowMs = 50;
    const run = async (limiterLimit: number, prefix: string) => {
      const limiter = createRateLimiter({
        backend,
        prefix,
        strategy: fixedWindow({ limit: limiterLimit, windowMs }),
        onBackendFailure: 'closed',
      });
      const admitted: Admission[] = [];
      const worker = async (id: number) => {
        for (let i = 0; i < 100; i++) {
          // The clock moves only between calls' steps: sentAt and answeredAt bracket the decision.
          const sentAt = now;
          const decision = await limiter.allow('hot');
          if (decision.allowed) {
            admitted.push({ sentAt, answeredAt: now, resetAfterMs: decision.resetAfterMs });
          }
          if (i % 7 === id % 7) now += 3; // workers move the clock as they go
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, id) => worker(id)));
      return checkWindows(admitted, limit, windowMs);
    };
    const held = await run(limit, 'exact:');
    expect(held.violations).toBe(0);
    expect(held.busiestWindow).toBe(limit);
    expect(held.groups).toBeGreaterThan(10);
    const loose = await run(limit + 1, 'loose:');
    expect(loose.violations).toBeGreaterThan(0);
  });
});
