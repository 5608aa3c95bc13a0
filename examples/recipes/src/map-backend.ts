import { type Expiry, KVBackendBase } from '@strongbox/core';

/** A stored value and when it expires on the backend's clock (Infinity: never). */
interface Entry {
  value: string;
  expiresAt: number;
}

/** Options of {@link createMapBackend}. */
export interface MapBackendOptions {
  /** The backend's clock in ms (default `performance.now`): monotonic, never the wall clock. */
  clock?: (() => number) | undefined;
}

/**
 * The smallest complete adapter: a `Map` with expiry checked on access. The walkthrough in
 * `docs/writing-an-adapter.md` builds it step by step. `KVBackendBase` validates arguments,
 * applies deadlines and aborts, handles `close()` and wraps errors; the `do*` methods see only
 * valid arguments. Expired entries are dropped when touched but never swept, so unlike
 * `@strongbox/memory` this adapter keeps keys nobody reads again.
 */
export class MapBackend extends KVBackendBase {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: () => number;

  constructor(options: MapBackendOptions = {}) {
    super({ name: 'map' });
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** The live entry of `key` at `now`, dropping an expired one. */
  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Store `value` with `expiry`: 0 never expires, 'keep' keeps the live entry's expiry. */
  #write(key: string, value: string, expiry: Expiry, current: Entry | undefined, now: number) {
    const expiresAt =
      expiry === 'keep'
        ? (current?.expiresAt ?? Number.POSITIVE_INFINITY)
        : expiry === 0
          ? Number.POSITIVE_INFINITY
          : now + expiry;
    this.#entries.set(key, { value, expiresAt });
  }

  protected override async doGet(key: string): Promise<string | null> {
    return this.#live(key, this.#clock())?.value ?? null;
  }

  protected override async doSet(key: string, value: string, expiry: Expiry): Promise<void> {
    const now = this.#clock();
    this.#write(key, value, expiry, this.#live(key, now), now);
  }

  protected override async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    // No await between the read and the write: nothing else runs in between, so it is atomic.
    const now = this.#clock();
    const current = this.#live(key, now);
    if ((current?.value ?? null) !== expected) return false;
    this.#write(key, next, expiry, current, now);
    return true;
  }

  protected override async doCheckAndDelete(key: string, expected: string): Promise<boolean> {
    const current = this.#live(key, this.#clock());
    if (current?.value !== expected) return false;
    return this.#entries.delete(key);
  }

  protected override async doDelete(key: string): Promise<boolean> {
    return this.#live(key, this.#clock()) !== undefined && this.#entries.delete(key);
  }

  protected override async doPing(): Promise<void> {}

  protected override async doClose(): Promise<void> {
    this.#entries.clear();
  }
}

/** Create a {@link MapBackend}. Factories are async so every backend swaps by configuration. */
export async function createMapBackend(options?: MapBackendOptions): Promise<MapBackend> {
  return new MapBackend(options);
}
