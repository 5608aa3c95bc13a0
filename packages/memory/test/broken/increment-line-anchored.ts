import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/**
 * Counters recognized by the canonical pattern with line anchors: `^` and `$` also match at a
 * line break (as `$` does by default in Java, Python and PCRE), so `"1\n"` and `"\n1"` count.
 */
class IncrementLineAnchoredBackend extends MemoryBackend {
  protected override counterValue(value: string): number | undefined {
    if (!/^(0|-?[1-9][0-9]{0,15})$/m.test(value)) return undefined;
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : undefined;
  }
}

export const incrementLineAnchored: BrokenFixture = {
  name: 'increment-line-anchored',
  defect: 'increment’s canonical check anchors at line breaks: "1\\n" counts as 1',
  breaks: ['increment.not-a-counter'],
  create: async () => new IncrementLineAnchoredBackend(),
};
