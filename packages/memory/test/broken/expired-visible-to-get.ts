import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** get reads the stored entry without checking its expiry: expired keys stay visible until swept. */
class ExpiredVisibleToGetBackend extends MemoryBackend {
  protected override async doGet(key: string): Promise<string | null> {
    return this.store.get(key)?.value ?? null;
  }
}

export const expiredVisibleToGet: BrokenFixture = {
  name: 'expired-visible-to-get',
  defect: 'get returns expired values that were not swept yet',
  breaks: [
    'ttl.set',
    'ttl.cas',
    'ttl.replace.set',
    'ttl.replace.cas',
    'ttl.keep.set',
    'ttl.keep.cas',
    'expired.get',
    'clock.backend',
    'increment.ttl.created',
    'increment.ttl.kept',
  ],
  create: async () => new ExpiredVisibleToGetBackend(),
};
