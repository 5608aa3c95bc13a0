/**
 * The strategy factories. Each returns a plain description; `createRateLimiter` checks it and
 * rejects bad options with `INVALID_CONFIG`, so these never throw.
 */

/** One fixed-window quota: at most `limit` per window of `windowMs` on the backend's clock. */
export interface FixedWindowQuota {
  /** Positive safe integer. */
  limit: number;
  /** Window length in ms, a positive safe integer. */
  windowMs: number;
}

/** Options of {@link fixedWindow}: one quota, or several named ones that must all allow. */
export type FixedWindowOptions =
  | FixedWindowQuota
  | {
      /** Named quotas (names match `^[A-Za-z0-9_-]+$`), e.g. `{ minute: {...}, hour: {...} }`. */
      quotas: Record<string, FixedWindowQuota>;
    };

/** Options of {@link slidingWindow}. */
export interface SlidingWindowOptions {
  /** Positive safe integer. */
  limit: number;
  /** Window length in ms, a positive safe integer. */
  windowMs: number;
}

/** Options of {@link tokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens when full, a positive safe integer. */
  capacity: number;
  /** Tokens added per second, a positive finite number. */
  refillPerSecond: number;
}

/** Options of {@link leakyBucket}. */
export interface LeakyBucketOptions {
  /** What the bucket holds, a positive safe integer. */
  capacity: number;
  /** What drains per second, a positive finite number. */
  leakPerSecond: number;
}

/** Options of {@link gcra}. */
export interface GcraOptions {
  /** Calls per `periodMs`, a positive safe integer. */
  limit: number;
  /** The period in ms, a positive safe integer. */
  periodMs: number;
  /** Calls admitted at once from rest, a positive safe integer; defaults to `limit`. */
  burst?: number | undefined;
}

/** A strategy description, made by one of the strategy factories and given to `createRateLimiter`. */
export type RateLimitStrategy =
  | { readonly kind: 'fixedWindow'; readonly options: FixedWindowOptions }
  | { readonly kind: 'slidingWindow'; readonly options: SlidingWindowOptions }
  | { readonly kind: 'tokenBucket'; readonly options: TokenBucketOptions }
  | { readonly kind: 'leakyBucket'; readonly options: LeakyBucketOptions }
  | { readonly kind: 'gcra'; readonly options: GcraOptions };

/**
 * Fixed window: each quota counts calls per window with one atomic `increment`; the window
 * starts at the first call and ends when the counter expires, on the backend's clock. Every
 * call is charged, allowed or denied.
 */
export function fixedWindow(options: FixedWindowOptions): RateLimitStrategy {
  return { kind: 'fixedWindow', options };
}

/**
 * Sliding window, as the weighted two-window estimate: the previous window's count weighted
 * by the part of it still inside the sliding window, plus the current one's. App clock.
 */
export function slidingWindow(options: SlidingWindowOptions): RateLimitStrategy {
  return { kind: 'slidingWindow', options };
}

/** Token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. App clock. */
export function tokenBucket(options: TokenBucketOptions): RateLimitStrategy {
  return { kind: 'tokenBucket', options };
}

/**
 * Leaky bucket as a meter: a call adds its cost unless that would overflow `capacity`; the
 * level drains at `leakPerSecond`. It denies, it never delays. App clock.
 */
export function leakyBucket(options: LeakyBucketOptions): RateLimitStrategy {
  return { kind: 'leakyBucket', options };
}

/**
 * Generic cell rate algorithm: admits `burst` calls at once, then one per `periodMs / limit`.
 * App clock.
 */
export function gcra(options: GcraOptions): RateLimitStrategy {
  return { kind: 'gcra', options };
}
