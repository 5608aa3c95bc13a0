/** Options every operation accepts. */
export interface OperationOptions {
  /** Abort the call. An already-aborted signal rejects at once with `ABORTED` and does nothing. */
  signal?: AbortSignal;
  /** Per-call deadline in ms; overrides the backend's `operationTimeout`. Rejects with `TIMEOUT`. */
  timeout?: number;
}

/** Options of the writing operations (`set`, `checkAndSet`). */
export interface WriteOptions extends OperationOptions {
  /** Time to live in ms. Omitted or 0: no expiry. Otherwise a positive safe integer. */
  ttl?: number;
  /**
   * Keep the key's current expiry instead of replacing it. A key with no expiry keeps none;
   * an absent key gets none. May not be combined with `ttl`.
   */
  keepTtl?: boolean;
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
  | 'ping'
  | 'connect'
  | 'purge'
  | 'close';
