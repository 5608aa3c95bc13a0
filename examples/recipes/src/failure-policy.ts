import { isHealthError, isKVError, type KVError } from '@strongbox/core';

/** What a limiter does while its backend is unavailable: `'open'` admits, `'closed'` rejects. */
export type FailurePolicy = 'open' | 'closed';

/** A rate limiter's answer to one request. */
export interface Decision {
  allowed: boolean;
  /** Requests left in the current window (fixed window only). */
  remaining?: number | undefined;
  /** Ms until the window ends, on the backend's clock (fixed window only). */
  resetAfterMs?: number | undefined;
  /** When rejected: ms until a request can be admitted again (GCRA only). */
  retryAfterMs?: number | undefined;
  /** Set when the backend failed and the failure policy decided instead. */
  failure?: KVError | undefined;
}

/** A rate limiter: one call per request to admit or reject, per key (user, IP, API token...). */
export interface RateLimiter {
  hit(key: string): Promise<Decision>;
}

/**
 * The decision `policy` makes when the backend is unavailable, or when `update` gave up on a
 * key too contended to commit (`CONFLICT`). Anything else (a bad key, a closed backend) is a
 * bug, not an outage, and is rethrown.
 */
export function decideOnFailure(error: unknown, policy: FailurePolicy): Decision {
  if (!isHealthError(error) && !isKVError(error, 'CONFLICT')) throw error;
  return { allowed: policy === 'open', failure: error };
}
