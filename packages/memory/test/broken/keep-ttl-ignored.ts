import type { Expiry } from '@strongbox/core';
import { MemoryBackend, type MemoryEntry } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** keepTtl is treated like an omitted ttl: the write removes the key's expiry. */
class KeepTtlIgnoredBackend extends MemoryBackend {
  protected override expiresAtFor(
    expiry: Expiry,
    current: MemoryEntry | undefined,
    now: number,
  ): number {
    return super.expiresAtFor(expiry === 'keep' ? 0 : expiry, current, now);
  }
}

export const keepTtlIgnored: BrokenFixture = {
  name: 'keep-ttl-ignored',
  defect: 'keepTtl is ignored: the write stores without expiry',
  breaks: ['ttl.keep.set', 'ttl.keep.cas', 'increment.ttl.kept', 'increment.ttl.reported'],
  create: async () => new KeepTtlIgnoredBackend(),
};
