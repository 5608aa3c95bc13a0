import type { Expiry, WriteOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** `ttl: 0` means "already expired" (the Go memory backend's defect), unlike an omitted ttl. */
class TtlZeroExpiresBackend extends MemoryBackend {
  /** Set while a call that asked for `ttl: 0` runs its (synchronously started) `do*` method. */
  #ttlZero = false;

  override set(key: string, value: string, options?: WriteOptions): Promise<void> {
    return this.#withTtlFlag(options, () => super.set(key, value, options));
  }

  override checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: WriteOptions,
  ): Promise<boolean> {
    return this.#withTtlFlag(options, () => super.checkAndSet(key, expected, next, options));
  }

  protected override async doSet(key: string, value: string, expiry: Expiry): Promise<void> {
    if (!this.#ttlZero) return super.doSet(key, value, expiry);
    const now = this.now();
    this.write(key, value, now, this.liveEntry(key, now));
  }

  protected override async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    if (!this.#ttlZero) return super.doCheckAndSet(key, expected, next, expiry);
    const now = this.now();
    const current = this.liveEntry(key, now);
    if ((current?.value ?? null) !== expected) return false;
    this.write(key, next, now, current);
    return true;
  }

  #withTtlFlag<T>(options: WriteOptions | undefined, call: () => Promise<T>): Promise<T> {
    this.#ttlZero = options?.ttl === 0;
    try {
      return call();
    } finally {
      this.#ttlZero = false;
    }
  }
}

export const ttlZeroExpires: BrokenFixture = {
  name: 'ttl-zero-expires',
  defect: 'ttl: 0 stores an already-expired key instead of one without expiry',
  breaks: ['ttl.zero', 'ttl.replace.set'],
  create: async () => new TtlZeroExpiresBackend(),
};
