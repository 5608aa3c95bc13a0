import type { Expiry } from '@strongbox/core';
import { MemoryBackend, type MemoryEntry } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** keepTtl on an absent key "keeps" a zero lifetime: the key is expired as soon as it is written. */
class KeepTtlAbsentExpiresBackend extends MemoryBackend {
  protected override expiresAtFor(
    expiry: Expiry,
    current: MemoryEntry | undefined,
    now: number,
  ): number {
    if (expiry === 'keep' && current === undefined) return now;
    return super.expiresAtFor(expiry, current, now);
  }
}

export const keepTtlAbsentExpires: BrokenFixture = {
  name: 'keep-ttl-absent-expires',
  defect: 'keepTtl on an absent or expired key stores an already-expired key',
  breaks: ['ttl.keep.absent'],
  create: async () => new KeepTtlAbsentExpiresBackend(),
};
