import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** delete reports a removal whether or not there was a live key. */
class DeleteAlwaysTrueBackend extends MemoryBackend {
  protected override async doDelete(key: string): Promise<boolean> {
    await super.doDelete(key);
    return true;
  }
}

export const deleteAlwaysTrue: BrokenFixture = {
  name: 'delete-always-true',
  defect: 'delete resolves true for absent and expired keys',
  breaks: ['delete.absent', 'expired.delete', 'linearizability.workload'],
  create: async () => new DeleteAlwaysTrueBackend(),
};
