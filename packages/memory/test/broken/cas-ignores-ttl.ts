import type { Expiry } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** checkAndSet drops its ttl and keepTtl options: what it stores never expires. */
class CasIgnoresTtlBackend extends MemoryBackend {
  protected override doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    _expiry: Expiry,
  ): Promise<boolean> {
    return super.doCheckAndSet(key, expected, next, 0);
  }
}

export const casIgnoresTtl: BrokenFixture = {
  name: 'cas-ignores-ttl',
  defect: 'checkAndSet ignores ttl and keepTtl and stores without expiry',
  breaks: ['ttl.cas', 'ttl.replace.cas', 'ttl.keep.cas'],
  create: async () => new CasIgnoresTtlBackend(),
};
