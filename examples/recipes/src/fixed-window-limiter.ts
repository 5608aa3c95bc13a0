import type { KVBackend } from '@strongbox/core';
import { decideOnFailure, type FailurePolicy, type RateLimiter } from './failure-policy.js';
import { requirePositiveInteger } from './require-positive-integer.js';

/** Options of {@link createFixedWindowLimiter}. */
export interface FixedWindowOptions {
  /** Most requests admitted per window and key. */
  limit: number;
  /** Window length in ms (>= 1), on the backend's clock, starting at the window's first request. */
  windowMs: number;
  /** Admit (`'open'`) or reject (`'closed'`) while the backend is unavailable. */
  onBackendFailure: FailurePolicy;
}

/**
 * Admit at most `limit` requests per window. Every request is one atomic `increment`: the
 * window's first request creates the counter with a TTL, later ones keep that TTL, so the
 * window ends when the backend's clock says so, however many requests follow. Denied requests
 * are counted too (one round trip per request, no read first); only the count matters.
 */
export function createFixedWindowLimiter(kv: KVBackend, options: FixedWindowOptions): RateLimiter {
  const { limit, windowMs, onBackendFailure } = options;
  requirePositiveInteger('limit', limit);
  // Also rules out a TTL of 0, which means "never expires": the first window would never end.
  requirePositiveInteger('windowMs', windowMs);
  return {
    async hit(key) {
      try {
        const { value, ttl } = await kv.increment(key, 1, { ttl: windowMs });
        const decision = { allowed: value <= limit, remaining: Math.max(0, limit - value) };
        // `ttl` is what is left of the window on the backend's clock (unknown only on an
        // adapter without a native increment).
        return typeof ttl === 'number' ? { ...decision, resetAfterMs: ttl } : decision;
      } catch (error) {
        // An indeterminate increment is not retried: if it landed, a retry would count this
        // request twice. The failure policy decides instead.
        return decideOnFailure(error, onBackendFailure);
      }
    },
  };
}
