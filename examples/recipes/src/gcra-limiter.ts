import type { KVBackend } from '@strongbox/core';
import { decideOnFailure, type FailurePolicy, type RateLimiter } from './failure-policy.js';
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
  now?: () => number;
}

/**
 * The generic cell rate algorithm: one stored number per key, the theoretical arrival time
 * (TAT) of the next request. Requests are spaced `periodMs / limit` apart, with a burst of up to
 * `limit` allowed when the key has been idle. Updates are a CAS on the TAT string read.
 */
export function createGcraLimiter(kv: KVBackend, options: GcraOptions): RateLimiter {
  const { limit, periodMs, onBackendFailure, now = Date.now } = options;
  requirePositiveInteger('limit', limit);
  requirePositiveInteger('periodMs', periodMs);
  const interval = periodMs / limit;
  return {
    async hit(key) {
      try {
        for (;;) {
          const stored = await kv.get(key);
          const time = now();
          const arrival = Math.max(stored === null ? time : Number(stored), time) + interval;
          if (arrival - time > periodMs) {
            return { allowed: false, retryAfterMs: arrival - periodMs - time };
          }
          // Once the TAT is in the past the key means the same as an absent one, so it may
          // expire then. Round up: TTLs are whole ms, and 0 would mean "never expires".
          const ttl = Math.ceil(arrival - time);
          if (await kv.checkAndSet(key, stored, String(arrival), { ttl })) {
            return { allowed: true };
          }
          // Another request moved the TAT between our read and our write: read it again.
        }
      } catch (error) {
        return decideOnFailure(error, onBackendFailure);
      }
    },
  };
}
