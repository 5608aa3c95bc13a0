import type { Counter } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/**
 * An increment that gives a ttl re-creates a live counter instead of adding to it, so the
 * counter's expiry restarts at the call's ttl (like `INCRBY` followed by an unconditional
 * `PEXPIRE`). Still one synchronous step, and nothing is written when the increment fails.
 */
class IncrementRestartsTtlBackend extends MemoryBackend {
  protected override doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    const current = this.liveEntry(key, this.now());
    const stored = current === undefined ? undefined : this.counterValue(current.value);
    if (ttl > 0 && current !== undefined && stored !== undefined) {
      const value = stored + delta;
      if (Number.isSafeInteger(value)) {
        this.evict(current);
        return super.doIncrement(key, value, ttl);
      }
    }
    return super.doIncrement(key, delta, ttl);
  }
}

export const incrementRestartsTtl: BrokenFixture = {
  name: 'increment-restarts-ttl',
  defect: 'increment with a ttl restarts a live counter’s expiry at that ttl',
  breaks: ['increment.ttl.kept', 'increment.ttl.reported'],
  create: async () => new IncrementRestartsTtlBackend(),
};
