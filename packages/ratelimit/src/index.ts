export { type AllowOptions, createRateLimiter, type RateLimiter } from './create-rate-limiter.js';
export type { QuotaDecision, RateLimitDecision } from './decision.js';
export type { RateLimiterOptions } from './options.js';
export {
  type FixedWindowOptions,
  type FixedWindowQuota,
  fixedWindow,
  type GcraOptions,
  gcra,
  type LeakyBucketOptions,
  leakyBucket,
  type RateLimitStrategy,
  type SlidingWindowOptions,
  slidingWindow,
  type TokenBucketOptions,
  tokenBucket,
} from './strategies.js';
