import { createRateLimiter, fixedWindow } from '@strongbox/ratelimit';
import type { DemoConfig } from './cli-options.js';
import { openBackend } from './open-backend.js';
import type { PhaseResult } from './report.js';
import { countIncrementRequests } from './request-counter.js';
import { type ClientProfile, simulate } from './simulation.js';
import { checkWindows, mergeChecks } from './window-check.js';

/** Which keys the clients ask for, and whether the backend combines concurrent increments. */
export interface PhaseSetup {
  keys: 'hot key' | 'own keys';
  combine: boolean;
  /** The limiter's key prefix, fresh per phase so phases never share a window. */
  prefix: string;
  /** How long clients send requests. */
  durationMs: number;
}

/**
 * Run one phase on a backend of its own (combining is a backend option): every client sends
 * requests for `setup.durationMs`, then the admissions of each key are checked against the limit.
 */
export async function runPhase(
  config: DemoConfig,
  profiles: readonly ClientProfile[],
  setup: PhaseSetup,
): Promise<PhaseResult> {
  const backend = await openBackend(config.backend, config.url, setup.combine);
  try {
    const limiter = createRateLimiter({
      backend,
      prefix: setup.prefix,
      strategy: fixedWindow({ limit: config.limit, windowMs: config.windowMs }),
      // Deny when the backend fails: an admission the demo cannot account for would blur the check.
      onBackendFailure: 'closed',
    });
    const keyOf = setup.keys === 'hot key' ? () => 'hot' : (p: ClientProfile) => p.name;
    const counting = countIncrementRequests();
    const started = performance.now();
    const outcomes = await simulate(limiter, profiles, keyOf, setup.durationMs);
    const elapsedMs = performance.now() - started;
    const sent = counting.stop();
    const perKey =
      setup.keys === 'hot key'
        ? [outcomes.flatMap((o) => o.admitted)]
        : outcomes.map((o) => o.admitted);
    const check = mergeChecks(perKey.map((a) => checkWindows(a, config.limit, config.windowMs)));
    const result: PhaseResult = {
      keys: setup.keys,
      combine: setup.combine,
      outcomes,
      elapsedMs,
      check,
    };
    // A core that publishes no traces counts nothing; then the demo shows no round trips.
    if (sent.calls > 0) result.backendRequests = sent.requests;
    return result;
  } finally {
    await backend.close();
  }
}
