import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** get cannot tell "" from a missing key (the Go original's defect). */
class EmptyReadAsAbsentBackend extends MemoryBackend {
  protected override async doGet(key: string): Promise<string | null> {
    return (await super.doGet(key)) || null;
  }
}

export const emptyReadAsAbsent: BrokenFixture = {
  name: 'empty-read-as-absent',
  defect: 'get returns null for a key holding ""',
  breaks: ['value.empty', 'cas.empty', 'increment.not-a-counter'],
  create: async () => new EmptyReadAsAbsentBackend(),
};
