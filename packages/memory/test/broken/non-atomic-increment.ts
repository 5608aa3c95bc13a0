import type { Counter } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/**
 * increment as a read followed by a write, with a gap between them: the write adds `delta` to
 * the value read before the gap, losing whatever landed in it. Combining is off: with it on,
 * one backend object never has two increments of a key in flight, which hides the gap from
 * increment-only tests (not from other writes landing in it).
 */
class NonAtomicIncrementBackend extends MemoryBackend {
  protected override async doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    const read = await this.doGet(key);
    await Promise.resolve(); // another caller's increment can land here
    const current = this.liveEntry(key, this.now());
    if (current !== undefined && read !== null) current.value = read;
    return super.doIncrement(key, delta, ttl);
  }
}

export const nonAtomicIncrement: BrokenFixture = {
  name: 'non-atomic-increment',
  defect: 'increment reads, awaits, then writes: concurrent callers can read the same value',
  breaks: ['increment.concurrent', 'increment.overflow.concurrent', 'linearizability.workload'],
  create: async () => new NonAtomicIncrementBackend({ combine: false }),
};
