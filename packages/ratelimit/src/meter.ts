import { update } from '@strongbox/core';
import type { QuotaDecision } from './decision.js';
import type { Quota, QuotaCall } from './quota.js';
import { EPSILON, foreignState, parseNumbers, ttlOf } from './stored-state.js';

/**
 * The meter behind tokenBucket, leakyBucket and gcra, which decide alike: `capacity` units,
 * one unit regained every `msPerUnit`. State: the debt in ms (the time until the meter is full
 * again) at app-clock time `at`, stored as `debt:at` with an expiry of the debt, so an absent
 * key is a full meter. A call costing `cost` is admitted when debt + cost·msPerUnit fits into
 * capacity·msPerUnit; only admitted calls are charged.
 */
export class MeterQuota implements Quota {
  readonly name = 'default';
  readonly #capacityMs: number;

  constructor(
    private readonly kind: string,
    readonly limit: number,
    private readonly msPerUnit: number,
  ) {
    this.#capacityMs = limit * msPerUnit;
  }

  allow(key: string, cost: number, { backend, time, options }: QuotaCall): Promise<QuotaDecision> {
    return update(
      backend,
      key,
      (current) => {
        const { debt, at } = this.#debtAt(current, time, () =>
          foreignState(backend, key, this.kind),
        );
        const charged = debt + cost * this.msPerUnit;
        if (charged > this.#capacityMs + EPSILON) return { result: this.#denied(debt, cost) };
        return {
          result: this.#decision(true, charged, 0),
          next: `${charged}:${at}`,
          ttl: ttlOf(charged),
        };
      },
      options,
    );
  }

  async peek(
    key: string,
    cost: number,
    { backend, time, options }: QuotaCall,
  ): Promise<QuotaDecision> {
    const current = await backend.get(key, options);
    const { debt } = this.#debtAt(current, time, () => foreignState(backend, key, this.kind));
    if (debt + cost * this.msPerUnit > this.#capacityMs + EPSILON) return this.#denied(debt, cost);
    return this.#decision(true, debt, 0);
  }

  /**
   * The debt now, and the time to store with it. Time never runs backwards for the state: a
   * clock behind the stored time sees no refill (elapsed clamped to 0) and keeps the stored time.
   */
  #debtAt(
    current: string | null,
    time: number,
    foreign: () => Error,
  ): { debt: number; at: number } {
    if (current === null) return { debt: 0, at: time };
    const parsed = parseNumbers(current, 2);
    if (parsed === undefined) throw foreign();
    const [storedDebt = 0, storedAt = 0] = parsed;
    const elapsed = Math.max(0, time - storedAt);
    return { debt: Math.max(0, storedDebt - elapsed), at: Math.max(storedAt, time) };
  }

  #denied(debt: number, cost: number): QuotaDecision {
    return this.#decision(false, debt, debt + cost * this.msPerUnit - this.#capacityMs);
  }

  #decision(allowed: boolean, debt: number, waitMs: number): QuotaDecision {
    const free = (this.#capacityMs - debt) / this.msPerUnit;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.min(this.limit, Math.max(0, Math.floor(free + EPSILON))),
      resetAfterMs: Math.max(0, Math.ceil(debt - EPSILON)),
      retryAfterMs: allowed ? 0 : Math.max(1, Math.ceil(waitMs - EPSILON)),
    };
  }
}
