import type { Expiry } from '@strongbox/core';
import { MemoryBackend, type MemoryEntry } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** TTLs pass through 32-bit integer arithmetic, so ones of 2^31 ms and more wrap to the past. */
class TtlInt32OverflowBackend extends MemoryBackend {
  protected override expiresAtFor(
    expiry: Expiry,
    current: MemoryEntry | undefined,
    now: number,
  ): number {
    if (typeof expiry !== 'number' || expiry === 0) return super.expiresAtFor(expiry, current, now);
    return now + (expiry | 0);
  }
}

export const ttlInt32Overflow: BrokenFixture = {
  name: 'ttl-int32-overflow',
  defect: 'TTLs of 2^31 ms or more overflow a 32-bit integer and expire at once',
  breaks: ['ttl.long'],
  create: async () => new TtlInt32OverflowBackend(),
};
