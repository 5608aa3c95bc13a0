import type { Expiry } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** checkAndSet compares against the stored value even when it has expired but was not swept yet. */
class ExpiredMatchesCasBackend extends MemoryBackend {
  // Left to the sweep alone, so an expired entry is still there for checkAndSet to see.
  protected override reclaimOnTheWay(): void {}

  protected override async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    const stored = this.store.get(key);
    if ((stored?.value ?? null) !== expected) return false;
    const now = this.now();
    this.write(key, next, this.expiresAtFor(expiry, stored, now), stored);
    return true;
  }
}

export const expiredMatchesCas: BrokenFixture = {
  name: 'expired-matches-cas',
  defect: 'checkAndSet sees expired values that were not swept yet',
  breaks: ['expired.cas-null', 'expired.cas-old', 'ttl.keep.absent'],
  create: async () => new ExpiredMatchesCasBackend(),
};
