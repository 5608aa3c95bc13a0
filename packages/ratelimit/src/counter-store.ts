import { type KVBackend, KVError, parseCounter, update } from '@strongbox/core';
import { readWindowCounter, windowTtl } from './window-counter.js';

/**
 * What both middleware libraries expect from a store's `increment` and `get`. `resetTime` is
 * always set: hono-rate-limiter's type, under `exactOptionalPropertyTypes`, accepts no undefined.
 */
export interface HitCount {
  totalHits: number;
  resetTime: Date;
}

/**
 * The fixed-window hit counter behind both middleware stores: `increment` with the window as
 * the counter's ttl, so the window is on the backend's clock and `resetTime` comes from the ttl.
 */
export class CounterStore {
  #windowMs: number | undefined;

  constructor(
    private readonly backend: KVBackend,
    readonly prefix: string,
  ) {}

  /** The middleware's `windowMs`, handed to `init`. */
  setWindow(windowMs: unknown): void {
    if (typeof windowMs !== 'number' || !Number.isSafeInteger(windowMs) || windowMs <= 0) {
      throw new KVError({
        code: 'INVALID_CONFIG',
        backend: 'ratelimit',
        detail: 'the middleware option windowMs must be a positive safe integer of ms',
      });
    }
    this.#windowMs = windowMs;
  }

  async increment(key: string): Promise<HitCount> {
    const windowMs = this.#window();
    const stored = this.prefix + key;
    const counter = await this.backend.increment(stored, 1, { ttl: windowMs });
    return {
      totalHits: counter.value,
      resetTime: resetTime(windowTtl(this.backend, stored, counter, windowMs)),
    };
  }

  async get(key: string): Promise<HitCount | undefined> {
    const windowMs = this.#window();
    const stored = this.prefix + key;
    const counter = await readWindowCounter(this.backend, stored, windowMs, {});
    if (counter === null) return undefined;
    return {
      totalHits: counter.value,
      resetTime: resetTime(windowTtl(this.backend, stored, counter, windowMs)),
    };
  }

  /** Lower a live counter above 0 by one, keeping its expiry; never create one. */
  async decrement(key: string): Promise<void> {
    await update(this.backend, this.prefix + key, (current) => {
      const value = current === null ? undefined : parseCounter(current);
      if (value === undefined || value <= 0) return { result: undefined };
      return { result: undefined, next: String(value - 1), keepTtl: true };
    });
  }

  async resetKey(key: string): Promise<void> {
    await this.backend.delete(this.prefix + key);
  }

  #window(): number {
    if (this.#windowMs === undefined) {
      throw new KVError({
        code: 'INVALID_CONFIG',
        backend: 'ratelimit',
        detail: 'the store was used before the middleware called init() with its windowMs',
      });
    }
    return this.#windowMs;
  }
}

function resetTime(ttlMs: number): Date {
  return new Date(Date.now() + ttlMs);
}

/** Options of both `StrongboxStore` classes. */
export interface StrongboxStoreOptions {
  /** Any Strongbox backend. */
  backend: KVBackend;
  /** Prepended to every key; also the store's `prefix` for the middleware's double-count check. */
  prefix?: string | undefined;
}
