import type { Counter } from '@strongbox/core';
import type { QuotaDecision } from './decision.js';
import type { Quota, QuotaCall } from './quota.js';
import { readWindowCounter, windowTtl } from './window-counter.js';

/** One fixed-window quota: one `increment` per call, window end = the counter's expiry. */
export class FixedWindowQuota implements Quota {
  /** The increment options of a call without signal or timeout (one object for all). */
  readonly #windowOnly: { readonly ttl: number };

  constructor(
    readonly name: string,
    readonly limit: number,
    private readonly windowMs: number,
  ) {
    this.#windowOnly = Object.freeze({ ttl: windowMs });
  }

  allow(key: string, cost: number, { backend, options }: QuotaCall): Promise<QuotaDecision> {
    // Every call is charged, allowed or denied: one round trip, no read-then-write race.
    const incrementOptions =
      options === undefined ? this.#windowOnly : { ...options, ttl: this.windowMs };
    return backend
      .increment(key, cost, incrementOptions)
      .then((counter) => this.#decision(windowTtl(backend, key, counter, this.windowMs), counter));
  }

  #decision(ttl: number, counter: Counter): QuotaDecision {
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
