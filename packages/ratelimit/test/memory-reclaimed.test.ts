import { MemoryBackend } from '@strongbox/memory';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createRateLimiter,
  fixedWindow,
  type RateLimitStrategy,
  slidingWindow,
  tokenBucket,
} from '../src/index.js';

/** A memory backend whose stored entries the test counts and whose sweep it runs by hand. */
class CountedMemoryBackend extends MemoryBackend {
  get storedCount(): number {
    return this.store.size;
  }

  get indexedCount(): number {
    return this.expiries.size;
  }

  /** Reclaim every expired entry now, as the background sweep would over its steps. */
  sweepAll(): void {
    while (this.sweep()) {}
  }
}

/** Each round is this long on both clocks: every strategy's state from the round before has expired. */
const ROUND_MS = 2_000;
const ROUNDS = 60;
/** Keys that call in every round, and keys that call in one round only (clients come and go). */
const STEADY_KEYS = 20;
const PASSING_KEYS = 200;

const STRATEGIES: [string, RateLimitStrategy][] = [
  ['fixedWindow', fixedWindow({ limit: 3, windowMs: 1_000 })],
  // Its state lives until its current window stops counting: two windows on.
  ['slidingWindow', slidingWindow({ limit: 3, windowMs: 1_000 })],
  // Its state lives until the bucket is full again: 3 tokens at 3 per second.
  ['tokenBucket', tokenBucket({ capacity: 3, refillPerSecond: 3 })],
];

describe.each(STRATEGIES)('memory per limited key stays flat on %s', (_, strategy) => {
  it(`over ${ROUNDS} rounds of new keys, entries are the live round's keys alone`, async () => {
    const clock = { t: 0 };
    const backend = new CountedMemoryBackend({ clock: () => clock.t, sweepInterval: 2 ** 31 - 1 });
    onTestFinished(() => backend.close());
    const limiter = createRateLimiter({
      backend,
      strategy,
      onBackendFailure: 'closed',
      now: () => clock.t,
    });
    let denied = 0;
    for (let round = 0; round < ROUNDS; round++) {
      clock.t = round * ROUND_MS;
      const keys = [
        ...Array.from({ length: STEADY_KEYS }, (_, i) => `steady-${i}`),
        ...Array.from({ length: PASSING_KEYS }, (_, i) => `round-${round}-${i}`),
      ];
      // Over the limit on purpose: denied calls must not keep state alive either.
      for (let call = 0; call < 5; call++) {
        const decisions = await Promise.all(keys.map((key) => limiter.allow(key)));
        denied += decisions.filter((d) => !d.allowed).length;
      }
      backend.sweepAll();
      expect(backend.storedCount).toBe(keys.length);
      expect(backend.indexedCount).toBe(keys.length);
    }
    expect(denied).toBeGreaterThan(0);
    clock.t = ROUNDS * ROUND_MS;
    backend.sweepAll();
    expect(backend.storedCount).toBe(0);
    expect(backend.indexedCount).toBe(0);
  });
});
