import { describe, expect, it } from 'vitest';
import {
  createRateLimiter,
  fixedWindow,
  gcra,
  leakyBucket,
  type RateLimitStrategy,
  slidingWindow,
  tokenBucket,
} from '../src/index.js';
import { type BackendKind, sharedBackends, twoBackends } from './support/backends.js';

const BOUND = 25;
/** Each strategy with the most it may admit on one key while the app clock stands still. */
const STRATEGIES: [string, RateLimitStrategy][] = [
  ['fixedWindow', fixedWindow({ limit: BOUND, windowMs: 600_000 })],
  [
    'fixedWindow quotas',
    fixedWindow({
      quotas: { a: { limit: BOUND, windowMs: 600_000 }, b: { limit: 1_000, windowMs: 600_000 } },
    }),
  ],
  ['slidingWindow', slidingWindow({ limit: BOUND, windowMs: 600_000 })],
  ['tokenBucket', tokenBucket({ capacity: BOUND, refillPerSecond: 1 })],
  ['leakyBucket', leakyBucket({ capacity: BOUND, leakPerSecond: 1 })],
  ['gcra', gcra({ limit: 1, periodMs: 1_000, burst: BOUND })],
];
const BACKENDS: BackendKind[] = ['memory', 'postgres', 'redis', 'cluster'];
/** Backend objects (own connections, like processes) and concurrent callers on each. */
const CLIENTS = 3;
const CALLERS = 40;

describe.each(BACKENDS)('never over the limit on %s', (kind) => {
  it.each(STRATEGIES)(
    '%s: 3 clients × 40 concurrent callers on one key admit exactly the bound',
    async (_, strategy) => {
      const backends = await sharedBackends(kind, CLIENTS);
      const frozen = Date.now();
      const limiters = backends.map((backend) =>
        createRateLimiter({ backend, strategy, onBackendFailure: 'closed', now: () => frozen }),
      );
      const decisions = await Promise.all(
        limiters.flatMap((limiter) =>
          Array.from({ length: CALLERS }, () => limiter.allow('hot', { cost: 1 })),
        ),
      );
      const failures = decisions.filter((d) => d.failure !== undefined);
      expect(failures.map((d) => d.failure?.message)).toEqual([]);
      expect(decisions.filter((d) => d.allowed)).toHaveLength(BOUND);
      // Remaining counts down without gaps or repeats across the admitted calls.
      const remaining = decisions
        .filter((d) => d.allowed)
        .map((d) => d.remaining)
        .sort((a, b) => a - b);
      expect(remaining).toEqual(Array.from({ length: BOUND }, (_, i) => i));
      expect((await limiters[0]?.peek('hot'))?.allowed).toBe(false);
    },
  );

  it.each([10, 30])(
    'dual mode, secondary capacity %i: every call charges each fixed-window quota once, the secondary only behind an admission',
    async (capacity) => {
      const backends = await sharedBackends(kind, CLIENTS);
      const frozen = Date.now();
      const limiters = backends.map((backend) =>
        createRateLimiter({
          backend,
          strategy: fixedWindow({
            quotas: { a: { limit: 20, windowMs: 600_000 }, b: { limit: 1_000, windowMs: 600_000 } },
          }),
          secondary: tokenBucket({ capacity, refillPerSecond: 1 }),
          onBackendFailure: 'closed',
          now: () => frozen,
        }),
      );
      const decisions = await Promise.all(
        limiters.flatMap((limiter) => Array.from({ length: CALLERS }, () => limiter.allow('hot'))),
      );
      expect(decisions.filter((d) => d.failure !== undefined)).toEqual([]);
      const admitted = Math.min(20, capacity);
      expect(decisions.filter((d) => d.allowed)).toHaveLength(admitted);
      const after = await limiters[0]?.peek('hot');
      expect(after?.quotas.b?.remaining).toBe(1_000 - CLIENTS * CALLERS);
      expect(after?.quotas['secondary:default']?.remaining).toBe(capacity - admitted);
    },
  );
});

describe('fixed window on the backend clock', () => {
  it.each(['redis', 'postgres'] as const)(
    '%s: two clients whose app clocks differ by an hour share one window',
    async (kind) => {
      const [a, b] = await twoBackends(kind);
      const strategy = fixedWindow({ limit: 3, windowMs: 60_000 });
      const early = createRateLimiter({
        backend: a,
        strategy,
        onBackendFailure: 'closed',
        now: () => Date.now(),
      });
      const late = createRateLimiter({
        backend: b,
        strategy,
        onBackendFailure: 'closed',
        now: () => Date.now() + 3_600_000,
      });
      const admitted = [];
      for (const limiter of [early, late, early, late])
        admitted.push((await limiter.allow('k')).allowed);
      expect(admitted).toEqual([true, true, true, false]);
      const d = await late.peek('k');
      expect(d.resetAfterMs).toBeGreaterThan(50_000);
      expect(d.resetAfterMs).toBeLessThanOrEqual(60_000);
    },
  );
});
