import type { MemoryEntry } from '../../src/index.js';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** Stores values like C strings: everything from the first U+0000 on is lost. */
class NulTruncatedBackend extends MemoryBackend {
  protected override write(
    key: string,
    value: string,
    expiresAt: number,
    current: MemoryEntry | undefined,
  ): void {
    super.write(key, value.split('\u0000')[0] ?? '', expiresAt, current);
  }
}

export const nulTruncated: BrokenFixture = {
  name: 'nul-truncated',
  defect: 'values are cut at their first U+0000',
  breaks: ['value.nul', 'increment.not-a-counter'],
  create: async () => new NulTruncatedBackend(),
};
