import { update } from '@strongbox/core';
import type { QuotaDecision } from './decision.js';
import type { Quota, QuotaCall } from './quota.js';
import { EPSILON, foreignState, parseNumbers, ttlOf } from './stored-state.js';

/** Counts of the window holding `time` and the one before it, and where `time` is in its window. */
interface Windows {
  index: number;
  previous: number;
  current: number;
  /** ms since the window's start, 0..windowMs. */
  offset: number;
}

/**
 * Sliding window as the weighted two-window estimate: windows are aligned to the app clock
 * (`floor(now / windowMs)`); the estimate is previous·(windowMs − offset)/windowMs + current.
 * A call is admitted when estimate + cost <= limit; only admitted calls are charged. State:
 * `index:previous:current`, expiring when the current window stops counting (two windows on).
 */
export class SlidingWindowQuota implements Quota {
  readonly name = 'default';

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  allow(key: string, cost: number, { backend, time, options }: QuotaCall): Promise<QuotaDecision> {
    return update(
      backend,
      key,
      (stored) => {
        const windows = this.#windows(stored, time, () =>
          foreignState(backend, key, 'slidingWindow'),
        );
        if (this.#estimate(windows) + cost > this.limit + EPSILON) {
          return { result: this.#denied(windows, cost) };
        }
        const charged = { ...windows, current: windows.current + cost };
        const windowEnd = (charged.index + 2) * this.windowMs;
        return {
          result: this.#decision(true, charged, 0),
          next: `${charged.index}:${charged.previous}:${charged.current}`,
          ttl: ttlOf(windowEnd - Math.max(time, charged.index * this.windowMs)),
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
    const stored = await backend.get(key, options);
    const windows = this.#windows(stored, time, () => foreignState(backend, key, 'slidingWindow'));
    if (this.#estimate(windows) + cost > this.limit + EPSILON) return this.#denied(windows, cost);
    return this.#decision(true, windows, 0);
  }

  /** The stored windows moved to `time`; a clock behind the stored window stays at its start. */
  #windows(stored: string | null, time: number, foreign: () => Error): Windows {
    const index = Math.floor(time / this.windowMs);
    const fresh = { index, previous: 0, current: 0, offset: time - index * this.windowMs };
    if (stored === null) return fresh;
    const parsed = parseNumbers(stored, 3);
    if (parsed === undefined || !parsed.every(Number.isSafeInteger)) throw foreign();
    const [storedIndex = 0, previous = 0, current = 0] = parsed;
    if (index === storedIndex) return { ...fresh, previous, current };
    if (index < storedIndex) return { index: storedIndex, previous, current, offset: 0 };
    if (index === storedIndex + 1) return { ...fresh, previous: current };
    return fresh;
  }

  #estimate({ previous, current, offset }: Windows): number {
    return (previous * (this.windowMs - offset)) / this.windowMs + current;
  }

  /** How long until `cost` fits: within this window as `previous` fades, else in the next one. */
  #denied(windows: Windows, cost: number): QuotaDecision {
    const { previous, current, offset } = windows;
    const W = this.windowMs;
    const room = this.limit - cost - current;
    const waitMs =
      room >= 0
        ? W * (1 - room / previous) - offset
        : W - offset + Math.max(0, W * (1 - (this.limit - cost) / current));
    return this.#decision(false, windows, waitMs);
  }

  #decision(allowed: boolean, windows: Windows, waitMs: number): QuotaDecision {
    const { previous, current, offset } = windows;
    const left = this.windowMs - offset;
    const resetAfterMs = current > 0 ? left + this.windowMs : previous > 0 ? left : 0;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.min(
        this.limit,
        Math.max(0, Math.floor(this.limit - this.#estimate(windows) + EPSILON)),
      ),
      resetAfterMs: Math.max(0, Math.ceil(resetAfterMs - EPSILON)),
      retryAfterMs: allowed ? 0 : Math.max(1, Math.ceil(waitMs - EPSILON)),
    };
  }
}
