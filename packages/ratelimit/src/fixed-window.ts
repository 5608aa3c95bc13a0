import type { QuotaDecision } from './decision.js';
import type { Quota, QuotaCall } from './quota.js';
import { readWindowCounter, windowTtl } from './window-counter.js';

/** One fixed-window quota: one `increment` per call, window end = the counter's expiry. */
export class FixedWindowQuota implements Quota {
  constructor(
    readonly name: string,
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async allow(key: string, cost: number, { backend, options }: QuotaCall): Promise<QuotaDecision> {
    // Every call is charged, allowed or denied: one round trip, no read-then-write race.
    const counter = await backend.increment(key, cost, { ...options, ttl: this.windowMs });
    const ttl = windowTtl(backend, key, counter, this.windowMs);
    const allowed = counter.value <= this.limit;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, Math.min(this.limit, this.limit - counter.value)),
      resetAfterMs: ttl,
      retryAfterMs: allowed ? 0 : ttl,
    };
  }

  async peek(key: string, cost: number, { backend, options }: QuotaCall): Promise<QuotaDecision> {
    const counter = await readWindowCounter(backend, key, this.windowMs, options);
    if (counter === null) {
      return {
        allowed: true,
        limit: this.limit,
        remaining: this.limit,
        resetAfterMs: 0,
        retryAfterMs: 0,
      };
    }
    const ttl = windowTtl(backend, key, counter, this.windowMs);
    const allowed = counter.value + cost <= this.limit;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, Math.min(this.limit, this.limit - counter.value)),
      resetAfterMs: counter.value > 0 ? ttl : 0,
      retryAfterMs: allowed ? 0 : ttl,
    };
  }
}
