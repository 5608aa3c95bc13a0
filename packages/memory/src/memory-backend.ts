import {
  type Counter,
  type Expiry,
  KVBackendBase,
  parseCounter,
  reportBackgroundFailure,
} from '@strongbox/core';
import type { MemoryEntry } from './entry.js';
import { ExpiryHeap, NOT_INDEXED } from './expiry-heap.js';
import { type MemoryBackendOptions, resolveMemoryOptions } from './options.js';
import { type SweepSchedule, startSweepSchedule } from './sweep-schedule.js';

/** Most expired entries one sweep step reclaims before yielding to the event loop. */
export const SWEEP_BATCH_SIZE = 1000;
/**
 * Most expired entries each operation reclaims on its way. More than one, so each write
 * takes back more than it can add: expired entries stay few however fast keys are written,
 * even while a busy process starves the sweep timer.
 */
export const RECLAIM_PER_OPERATION = 2;

/**
 * The in-process Strongbox backend: a `Map` of entries plus an expiry index (a min-heap whose
 * entries know their own position). Every operation runs synchronously inside one call, so
 * each is atomic without locks. Expired entries are absent for every operation at once and
 * are reclaimed by a background sweep that does bounded work per step, and a few at a time
 * by every operation, so they stay few however fast keys are written.
 *
 * The internals are `protected` and split into small seams (`now`, `isLive`, `expiresAtFor`,
 * `liveEntry`, `counterValue`, `write`, `evict`, `sweep`, `reclaimOnTheWay`) so test fixtures can subclass it and
 * change one rule.
 * Create it with {@link createMemoryBackend}.
 */
export class MemoryBackend extends KVBackendBase {
  /** Every stored entry, expired ones included until they are read or swept. */
  protected readonly store = new Map<string, MemoryEntry>();
  /** Stored entries that have an expiry, earliest first. Holds each entry at most once. */
  protected readonly expiries = new ExpiryHeap<MemoryEntry>();
  /** Most entries one {@link MemoryBackend.sweep} call reclaims. */
  protected readonly sweepBatchSize: number = SWEEP_BATCH_SIZE;
  readonly #clock: () => number;
  readonly #onError: NonNullable<MemoryBackendOptions['onError']>;
  readonly #sweeps: SweepSchedule;

  /** Throws an `INVALID_CONFIG` KVError for bad options. Prefer {@link createMemoryBackend}. */
  constructor(options?: MemoryBackendOptions) {
    const settings = resolveMemoryOptions(options);
    super({
      name: 'memory',
      combine: settings.combine,
      operationTimeout: settings.operationTimeout,
      redactKeys: settings.redactKeys,
    });
    this.#clock = settings.clock;
    this.#onError = settings.onError;
    this.#sweeps = startSweepSchedule(settings.sweepInterval, () => this.#sweepStep());
  }

  /** The backend's current time in ms; throws when the clock gives no finite number. */
  protected now(): number {
    const time = this.#clock();
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw new TypeError(`clock returned ${String(time)}, not a finite number of ms`);
    }
    return time;
  }

  /** Whether `entry` is still live at `now`. */
  protected isLive(entry: MemoryEntry, now: number): boolean {
    return now < entry.expiresAt;
  }

  /** The expiry time of a write at `now`; `current` is the key's live entry, if any. */
  protected expiresAtFor(expiry: Expiry, current: MemoryEntry | undefined, now: number): number {
    if (expiry === 'keep') return current?.expiresAt ?? Number.POSITIVE_INFINITY;
    return expiry === 0 ? Number.POSITIVE_INFINITY : now + expiry;
  }

  /** The number a stored value holds as a counter, or undefined when it is not one. */
  protected counterValue(value: string): number | undefined {
    return parseCounter(value);
  }

  /**
   * The live entry of `key`, evicting an expired one on the way. Every operation starts here,
   * so this is also where it reclaims up to `RECLAIM_PER_OPERATION` (2) expired entries.
   */
  protected liveEntry(key: string, now: number): MemoryEntry | undefined {
    this.reclaimOnTheWay(now);
    const entry = this.store.get(key);
    if (entry === undefined || this.isLive(entry, now)) return entry;
    this.evict(entry);
    return undefined;
  }

  /** Store `value` until `expiresAt`, updating `current` (the key's live entry) in place. */
  protected write(
    key: string,
    value: string,
    expiresAt: number,
    current: MemoryEntry | undefined,
  ): void {
    const entry = current ?? { key, value, expiresAt, heapIndex: NOT_INDEXED };
    entry.value = value;
    entry.expiresAt = expiresAt;
    if (current === undefined) this.store.set(key, entry);
    this.expiries.schedule(entry);
  }

  /** Remove `entry` from the store and the expiry index. */
  protected evict(entry: MemoryEntry): void {
    this.store.delete(entry.key);
    this.expiries.remove(entry);
  }

  /**
   * Reclaim up to {@link MemoryBackend.sweepBatchSize} expired entries, earliest first, and
   * say whether more may be waiting. The index is updated in place on every write, so the
   * entry it yields is always the key's current one and its expiry is re-checked right here:
   * a key renewed or re-created since it was first indexed is never removed.
   */
  protected sweep(): boolean {
    return this.reclaimExpired(this.now(), this.sweepBatchSize);
  }

  /** What each operation reclaims: up to `RECLAIM_PER_OPERATION` (2) expired entries. */
  protected reclaimOnTheWay(now: number): void {
    this.reclaimExpired(now, RECLAIM_PER_OPERATION);
  }

  /** Evict up to `limit` entries expired at `now`, earliest first; true when more may remain. */
  protected reclaimExpired(now: number, limit: number): boolean {
    for (let reclaimed = 0; reclaimed < limit; reclaimed++) {
      const next = this.expiries.peek();
      if (next === undefined || this.isLive(next, now)) return false;
      this.evict(next);
    }
    return true;
  }

  /**
   * Never: an operation runs synchronously and reads the clock before it touches the store,
   * so the only way it can fail (a broken `clock`) leaves nothing written.
   */
  protected override mayHaveBeenApplied(): boolean {
    return false;
  }

  protected override async doGet(key: string): Promise<string | null> {
    return this.liveEntry(key, this.now())?.value ?? null;
  }

  protected override async doSet(key: string, value: string, expiry: Expiry): Promise<void> {
    const now = this.now();
    const current = this.liveEntry(key, now);
    this.write(key, value, this.expiresAtFor(expiry, current, now), current);
  }

  protected override async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    const now = this.now();
    const current = this.liveEntry(key, now);
    if ((current?.value ?? null) !== expected) return false;
    this.write(key, next, this.expiresAtFor(expiry, current, now), current);
    return true;
  }

  protected override async doCheckAndDelete(key: string, expected: string): Promise<boolean> {
    const current = this.liveEntry(key, this.now());
    if (current === undefined || current.value !== expected) return false;
    this.evict(current);
    return true;
  }

  protected override async doDelete(key: string): Promise<boolean> {
    const current = this.liveEntry(key, this.now());
    if (current === undefined) return false;
    this.evict(current);
    return true;
  }

  protected override async doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    const now = this.now();
    const current = this.liveEntry(key, now);
    let value = delta;
    if (current !== undefined) {
      const stored = this.counterValue(current.value);
      if (stored === undefined) throw this.counterError('NOT_A_COUNTER', key);
      value = stored + delta;
      if (!Number.isSafeInteger(value)) throw this.counterError('COUNTER_OVERFLOW', key);
    }
    const expiresAt = this.expiresAtFor(current === undefined ? ttl : 'keep', current, now);
    this.write(key, String(value), expiresAt, current);
    return { value, ttl: remainingTtl(expiresAt, now) };
  }

  protected override async doPing(): Promise<void> {}

  protected override async doClose(): Promise<void> {
    this.#sweeps.stop();
    this.store.clear();
    this.expiries.clear();
  }

  /**
   * One step of the background sweep; failures go to `onError`, never to the caller. An
   * `onError` that throws becomes a warning: a timer callback must not throw.
   */
  #sweepStep(): boolean {
    try {
      return this.sweep();
    } catch (error) {
      reportBackgroundFailure(
        this.#onError,
        this.driverFailure('purge', undefined, error),
        'memory sweep',
      );
      return false;
    }
  }
}

/**
 * The ms `expiresAt` is ahead of `now`, rounded up (>= 1 for a live entry), or null for no
 * expiry. `expiresAt` was computed as a write's `now + ttl`, which may carry a rounding error
 * of a few ulps on a fractional clock; that error is taken off first, so a counter read at
 * the instant it was written reports its ttl, never ttl + 1.
 */
function remainingTtl(expiresAt: number, now: number): number | null {
  if (expiresAt === Number.POSITIVE_INFINITY) return null;
  return Math.max(1, Math.ceil(expiresAt - now - 2 * Number.EPSILON * Math.abs(expiresAt)));
}
