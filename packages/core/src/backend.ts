/** Options every operation accepts. */
export interface OperationOptions {
  /** Abort the call. An already-aborted signal rejects at once with `ABORTED` and does nothing. */
  signal?: AbortSignal | undefined;
  /** Per-call deadline in ms; overrides the backend's `operationTimeout`. Rejects with `TIMEOUT`. */
  timeout?: number | undefined;
}

/** Options of the writing operations (`set`, `checkAndSet`). */
export interface WriteOptions extends OperationOptions {
  /** Time to live in ms. Omitted or 0: no expiry. Otherwise a positive safe integer. */
  ttl?: number | undefined;
  /**
   * Keep the key's current expiry instead of replacing it. A key with no expiry keeps none;
   * an absent key gets none. May not be combined with `ttl`.
   */
  keepTtl?: boolean | undefined;
}

/** Options of {@link KVBackend.increment}. */
export interface IncrementOptions extends OperationOptions {
  /**
   * Expiry in ms given to a counter this call creates (the key was absent or expired). A live
   * counter keeps its expiry. Omitted or 0: a created counter never expires.
   */
  ttl?: number | undefined;
}

/** What {@link KVBackend.increment} resolves to. */
export interface Counter {
  /** The counter after this call's delta. */
  value: number;
  /**
   * Remaining ms on the backend's clock after the call (>= 1, rounded up); `null` for no
   * expiry; `undefined` only from `KVBackendBase`'s default `doIncrement`, which cannot read
   * a live key's expiry.
   */
  ttl: number | null | undefined;
}

/**
 * The Strongbox contract: a string key-value store with millisecond TTLs and atomic
 * check-and-set. Every adapter implements it and passes the conformance suite
 * (`@strongbox/core/conformance`). Every rejection is a {@link KVError}.
 */
export interface KVBackend extends AsyncDisposable {
  /** Adapter id: 'memory' | 'postgres' | 'redis' | a third party's own. */
  readonly name: string;
  /** The live value, or null when the key is absent or expired. */
  get(key: string, options?: OperationOptions): Promise<string | null>;
  /** Store unconditionally. Replaces value and TTL (no ttl = no expiry) unless `keepTtl`. */
  set(key: string, value: string, options?: WriteOptions): Promise<void>;
  /**
   * Atomically: if the live value equals `expected` (null = key absent or expired),
   * store `next` and resolve true; otherwise write nothing and resolve false.
   * A mismatch is never an error.
   */
  checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: WriteOptions,
  ): Promise<boolean>;
  /** Atomically delete the key only if its live value equals `expected` (release a lease you hold). */
  checkAndDelete(key: string, expected: string, options?: OperationOptions): Promise<boolean>;
  /** Remove the key. Resolves true when a live key was removed (false if absent or expired). */
  delete(key: string, options?: OperationOptions): Promise<boolean>;
  /**
   * Atomically add `delta` (default 1; any safe integer) to the counter at `key` and resolve
   * its new value and remaining TTL. An absent or expired key counts as 0 and is created with
   * `options.ttl`; a live counter keeps its expiry. A live value that is not a canonical
   * decimal integer rejects with `NOT_A_COUNTER`, a result outside +-(2^53 - 1) with
   * `COUNTER_OVERFLOW`; both write nothing.
   */
  increment(key: string, delta?: number, options?: IncrementOptions): Promise<Counter>;
  /** Resolve when the backend can serve requests; reject with an unhealthy KVError otherwise. */
  ping(options?: OperationOptions): Promise<void>;
  /** Release resources. Idempotent; never rejects for an already-closed backend. */
  close(): Promise<void>;
}

/** The operations a {@link KVError} can name in its `op` field. */
export type KVOperation =
  | 'get'
  | 'set'
  | 'checkAndSet'
  | 'checkAndDelete'
  | 'delete'
  | 'increment'
  | 'update'
  | 'ping'
  | 'connect'
  | 'purge'
  | 'close';
