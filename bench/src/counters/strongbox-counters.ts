import type { KVBackend } from '@strongbox/core';
import {
  createRateLimiter,
  fixedWindow,
  gcra,
  leakyBucket,
  slidingWindow,
  tokenBucket,
} from '@strongbox/ratelimit';
import {
  type CounterContender,
  type CounterKind,
  type CounterScenario,
  NEVER_DENY,
  WINDOW_MS,
} from './counter-contender.js';

/** The @strongbox/ratelimit strategy a scenario measures, sized so nothing is denied. */
function strategyFor(scenario: Exclude<CounterScenario, 'increment'>) {
  switch (scenario) {
    case 'fixed-window':
      return fixedWindow({ limit: NEVER_DENY, windowMs: WINDOW_MS });
    case 'sliding-window':
      return slidingWindow({ limit: NEVER_DENY, windowMs: WINDOW_MS });
    case 'token-bucket':
      return tokenBucket({ capacity: NEVER_DENY, refillPerSecond: NEVER_DENY });
    case 'leaky-bucket':
      return leakyBucket({ capacity: NEVER_DENY, leakPerSecond: NEVER_DENY });
    case 'gcra':
      return gcra({ limit: NEVER_DENY, periodMs: WINDOW_MS });
  }
}

/**
 * Strongbox serving `scenario` on `backend`: `increment(key, 1, { ttl })`, or one
 * `limiter.allow(key)`. The backend outlives the contender (the caller closes it).
 */
export function strongboxCounter(
  backend: KVBackend,
  scenario: CounterScenario,
  kind: Extract<CounterKind, 'strongbox' | 'strongbox-uncombined'>,
  description: string,
): CounterContender {
  const close = async () => {};
  if (scenario === 'increment') {
    const options = { ttl: WINDOW_MS };
    return { kind, description, hit: (key) => backend.increment(key, 1, options), close };
  }
  const limiter = createRateLimiter({
    backend,
    prefix: `rl-${kind}:`,
    strategy: strategyFor(scenario),
    onBackendFailure: 'closed',
  });
  return {
    kind,
    description: `@strongbox/ratelimit ${scenario} on ${description}`,
    hit: async (key) => {
      const decision = await limiter.allow(key);
      if (decision.failure !== undefined) throw decision.failure;
      return decision;
    },
    close,
  };
}

/**
 * The GCRA limiter as a `get` + `checkAndSet` retry loop, the way it had to be written before
 * `update` existed (the recipe's former code): the baseline `update`'s combining is measured
 * against on a hot key.
 */
export function casLoopGcra(backend: KVBackend): CounterContender {
  const interval = WINDOW_MS / NEVER_DENY;
  return {
    kind: 'cas-loop',
    description: 'GCRA as a get + checkAndSet retry loop on the same backend (no update)',
    async hit(key) {
      for (;;) {
        const stored = await backend.get(`cas-gcra:${key}`);
        const time = Date.now();
        const arrival = Math.max(stored === null ? time : Number(stored), time) + interval;
        const ttl = Math.ceil(arrival - time);
        if (await backend.checkAndSet(`cas-gcra:${key}`, stored, String(arrival), { ttl })) return;
      }
    },
    close: async () => {},
  };
}
