import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { CounterStore, type StrongboxStoreOptions } from './counter-store.js';

export type { StrongboxStoreOptions } from './counter-store.js';

/**
 * An `express-rate-limit` store on any Strongbox backend: a fixed window per client on the
 * backend's clock (one `increment` per request; `resetTime` from the counter's ttl), shared by
 * every process on the backend. Errors reject; choose the middleware's `passOnStoreError`.
 * Use one store per middleware instance.
 *
 * @example
 * app.use(rateLimit({ windowMs: 60_000, limit: 100, store: new StrongboxStore({ backend }) }));
 */
export class StrongboxStore implements Store {
  /** Counts are shared across processes. */
  readonly localKeys = false;
  /** Key prefix (default `'ratelimit:express:'`). */
  readonly prefix: string;
  readonly #counter: CounterStore;

  constructor({ backend, prefix = 'ratelimit:express:' }: StrongboxStoreOptions) {
    this.prefix = prefix;
    this.#counter = new CounterStore(backend, prefix);
  }

  /** Takes the middleware's `windowMs`. */
  init(options: Options): void {
    this.#counter.setWindow(options.windowMs);
  }

  /** The client's hits in the current window, or undefined without one; charges nothing. */
  get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.#counter.get(key);
  }

  /** Count a hit: starts a window of `windowMs` on the backend's clock when none is live. */
  increment(key: string): Promise<ClientRateLimitInfo> {
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
