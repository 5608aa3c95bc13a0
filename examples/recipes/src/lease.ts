import { randomUUID } from 'node:crypto';
import type { KVBackend } from '@strongbox/core';
import { claim } from './claim.js';
import { requirePositiveInteger } from './require-positive-integer.js';
import { retryIfIndeterminate } from './retry-if-indeterminate.js';

/** Options of {@link acquireLease}. */
export interface LeaseOptions {
  /** How long the lease lasts unless renewed, in ms (>= 1). */
  ttl: number;
  /** A local monotonic clock in ms for {@link Lease.validUntil} (default `performance.now`). */
  clock?: (() => number) | undefined;
}

/**
 * Take the lease on `key` if nobody holds it (or its holder's lease lapsed). Resolves the
 * held lease, or null when someone else holds it.
 */
export async function acquireLease(
  kv: KVBackend,
  key: string,
  options: LeaseOptions,
): Promise<Lease | null> {
  requirePositiveInteger('ttl', options.ttl);
  const clock = options.clock ?? (() => performance.now());
  const token = randomUUID();
  const started = clock();
  if ((await claim(kv, key, token, options.ttl)) !== token) return null;
  return new Lease(kv, key, token, options.ttl, clock, started + options.ttl);
}

/** A lease this process holds. Its key stores the holder's unique token. */
export class Lease {
  readonly #kv: KVBackend;
  readonly #ttl: number;
  readonly #clock: () => number;
  #validUntil: number;

  /** Use {@link acquireLease}. */
  constructor(
    kv: KVBackend,
    readonly key: string,
    readonly token: string,
    ttl: number,
    clock: () => number,
    validUntil: number,
  ) {
    this.#kv = kv;
    this.#ttl = ttl;
    this.#clock = clock;
    this.#validUntil = validUntil;
  }

  /**
   * Local clock time until which the holder may act. It counts the TTL from before the write
   * was sent, so it passes no later than the backend's expiry (which counts from when the
   * write landed). After a failed renewal or a release it is -Infinity.
   */
  get validUntil(): number {
    return this.#validUntil;
  }

  /** Whether the holder may still act on the lease. Check it before each step of work. */
  isValid(): boolean {
    return this.#clock() < this.#validUntil;
  }

  /** Extend the lease by its TTL from now. Resolves false when it was lost (lapsed, taken over). */
  async renew(): Promise<boolean> {
    const started = this.#clock();
    const renewed = await retryIfIndeterminate(() =>
      this.#kv.checkAndSet(this.key, this.token, this.token, { ttl: this.#ttl }),
    );
    this.#validUntil = renewed ? started + this.#ttl : Number.NEGATIVE_INFINITY;
    return renewed;
  }

  /**
   * Give the lease up. Resolves true when this call removed it; false when it was no longer
   * ours: it lapsed (perhaps to a new holder, whose lease stays untouched), or a first attempt
   * whose reply was lost removed it.
   */
  async release(): Promise<boolean> {
    this.#validUntil = Number.NEGATIVE_INFINITY;
    return retryIfIndeterminate(() => this.#kv.checkAndDelete(this.key, this.token));
  }
}
