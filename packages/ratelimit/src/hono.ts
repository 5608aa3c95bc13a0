import type { Store } from 'hono-rate-limiter';
import { CounterStore, type HitCount, type StrongboxStoreOptions } from './counter-store.js';

export type { HitCount, StrongboxStoreOptions } from './counter-store.js';

/**
 * A `hono-rate-limiter` store on any Strongbox backend: a fixed window per client on the
 * backend's clock (one `increment` per request; `resetTime` from the counter's ttl), shared by
 * every process on the backend. Errors reject. Use one store per middleware instance.
 *
 * @example
 * app.use(rateLimiter({ windowMs: 60_000, limit: 100, keyGenerator, store: new StrongboxStore({ backend }) }));
 */
export class StrongboxStore implements Store {
  /** Counts are shared across processes. */
  readonly localKeys = false;
  /** Key prefix (default `'ratelimit:hono:'`). */
  readonly prefix: string;
  readonly #counter: CounterStore;

  constructor({ backend, prefix = 'ratelimit:hono:' }: StrongboxStoreOptions) {
    this.prefix = prefix;
    this.#counter = new CounterStore(backend, prefix);
  }

  /** Takes the middleware's `windowMs`. */
  init(options: { windowMs: number }): void {
    this.#counter.setWindow(options.windowMs);
  }

  /** The client's hits in the current window, or undefined without one; charges nothing. */
  get(key: string): Promise<HitCount | undefined> {
    return this.#counter.get(key);
  }

  /** Count a hit: starts a window of `windowMs` on the backend's clock when none is live. */
  increment(key: string): Promise<HitCount> {
    return this.#counter.increment(key);
  }

  /** Take back a hit: lowers a live counter above 0, never creates one. */
  decrement(key: string): Promise<void> {
    return this.#counter.decrement(key);
  }

  /** Forget the client's window. */
  resetKey(key: string): Promise<void> {
    return this.#counter.resetKey(key);
  }
}
