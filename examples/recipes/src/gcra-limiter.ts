import { type KVBackend, update } from '@strongbox/core';
import {
  type Decision,
  decideOnFailure,
  type FailurePolicy,
  type RateLimiter,
} from './failure-policy.js';
import { requirePositiveInteger } from './require-positive-integer.js';

/** Options of {@link createGcraLimiter}. */
export interface GcraOptions {
  /** Requests per period in steady state, and the largest burst. */
  limit: number;
  /** The period in ms. */
  periodMs: number;
  /** Admit (`'open'`) or reject (`'closed'`) while the backend is unavailable. */
  onBackendFailure: FailurePolicy;
  /** The application's clock in ms (default `Date.now`); every instance must agree on it. */
  now?: (() => number) | undefined;
}

/**
 * The generic cell rate algorithm: one stored number per key, the theoretical arrival time
 * (TAT) of the next request. Requests are spaced `periodMs / limit` apart, with a burst of up to
 * `limit` allowed when the key has been idle. Each request is one `update` of the TAT: core
 * reads, runs the step, and commits with a CAS, retrying on a concurrent write.
 */
export function createGcraLimiter(kv: KVBackend, options: GcraOptions): RateLimiter {
  const { limit, periodMs, onBackendFailure, now = Date.now } = options;
  requirePositiveInteger('limit', limit);
  requirePositiveInteger('periodMs', periodMs);
  const interval = periodMs / limit;
  return {
    async hit(key) {
      // Read the clock once: the step may run again after a conflict, and must stay pure.
      const time = now();
      try {
        return await update<Decision>(kv, key, (stored) => {
          const arrival = Math.max(stored === null ? time : Number(stored), time) + interval;
          if (arrival - time > periodMs) {
            return { result: { allowed: false, retryAfterMs: arrival - periodMs - time } };
          }
          // Once the TAT is in the past the key means the same as an absent one, so it may
          // expire then. Round up: TTLs are whole ms, and 0 would mean "never expires".
          return {
            result: { allowed: true },
            next: String(arrival),
            ttl: Math.ceil(arrival - time),
          };
        });
      } catch (error) {
        return decideOnFailure(error, onBackendFailure);
      }
    },
  };
}
