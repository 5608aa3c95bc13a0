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
 * Admit at most `limit` requests per window. The window's first request creates the counter
 * with a TTL; every later one increments it with a CAS that keeps that TTL (`keepTtl`), so the
 * window ends when the backend's clock says so, however many requests follow.
 */
export function createFixedWindowLimiter(kv: KVBackend, options: FixedWindowOptions): RateLimiter {
  const { limit, windowMs, onBackendFailure } = options;
  requirePositiveInteger('limit', limit);
  // Also rules out a TTL of 0, which means "never expires": the first window would never end.
  requirePositiveInteger('windowMs', windowMs);
  return {
    async hit(key) {
      try {
        for (;;) {
          const current = await kv.get(key);
          if (current === null) {
            if (await kv.checkAndSet(key, null, '1', { ttl: windowMs })) {
              return { allowed: true, remaining: limit - 1 };
            }
            continue; // another request opened the window first
          }
          const count = Number(current);
          if (count >= limit) return { allowed: false, remaining: 0 };
          const next = String(count + 1);
          if (await kv.checkAndSet(key, current, next, { keepTtl: true })) {
            return { allowed: true, remaining: limit - count - 1 };
          }
          // The counter changed between our read and our write: read it again.
        }
      } catch (error) {
        // An indeterminate increment is not retried: if it landed, a retry would count this
        // request twice. The failure policy decides instead.
        return decideOnFailure(error, onBackendFailure);
      }
    },
  };
}
