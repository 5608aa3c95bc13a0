import type { Expiry, OperationOptions, WriteOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** `ttl: 0` means "already expired" (the Go memory backend's defect), unlike an omitted ttl. */
class TtlZeroExpiresBackend extends MemoryBackend {
  protected override async doSet(
    key: string,
    value: string,
    expiry: Expiry,
    options?: OperationOptions,
  ): Promise<void> {
    if ((options as WriteOptions | undefined)?.ttl !== 0) return super.doSet(key, value, expiry);
    const now = this.now();
    this.write(key, value, now, this.liveEntry(key, now));
  }

  protected override async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
    options?: OperationOptions,
  ): Promise<boolean> {
    if ((options as WriteOptions | undefined)?.ttl !== 0) {
      return super.doCheckAndSet(key, expected, next, expiry);
    }
    const now = this.now();
    const current = this.liveEntry(key, now);
    if ((current?.value ?? null) !== expected) return false;
    this.write(key, next, now, current);
    return true;
  }
}

export const ttlZeroExpires: BrokenFixture = {
  name: 'ttl-zero-expires',
  defect: 'ttl: 0 stores an already-expired key instead of one without expiry',
  breaks: ['ttl.zero', 'ttl.replace.set'],
  create: async () => new TtlZeroExpiresBackend(),
};
