import type { MemoryEntry } from '../../src/index.js';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** One map for every instance, like a module-level cache. */
const sharedEntries = new Map<string, MemoryEntry>();

/** Every instance reads and writes the same entries. */
class SharedStoreBackend extends MemoryBackend {
  protected override readonly store = sharedEntries;
}

export const sharedStore: BrokenFixture = {
  name: 'shared-store',
  defect: 'every backend instance shares one store',
  breaks: ['isolation.instances'],
  create: async () => new SharedStoreBackend(),
};
