import type { Expiry } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** checkAndSet as a read followed by a write, with a gap between them. */
class NonAtomicCasBackend extends MemoryBackend {
  protected override async doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    if ((await this.doGet(key)) !== expected) return false;
    await Promise.resolve(); // another caller's read can land here
    await this.doSet(key, next, expiry);
    return true;
  }
}

export const nonAtomicCas: BrokenFixture = {
  name: 'non-atomic-cas',
  defect: 'checkAndSet reads, awaits, then writes: concurrent callers can all succeed',
  breaks: ['atomic.cas-increments', 'atomic.cas-single-winner', 'linearizability.workload'],
  create: async () => new NonAtomicCasBackend(),
};
