import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** Counters parsed with `Number()`: `"01"`, `" 1"`, `"1e3"`, `"0x1f"`, `"-0"`, `""` all count. */
class IncrementAcceptsLooseNumbersBackend extends MemoryBackend {
  protected override counterValue(value: string): number | undefined {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : undefined;
  }
}

export const incrementAcceptsLooseNumbers: BrokenFixture = {
  name: 'increment-accepts-loose-numbers',
  defect: 'increment accepts any value Number() reads as a safe integer, not only canonical ones',
  breaks: ['increment.not-a-counter'],
  create: async () => new IncrementAcceptsLooseNumbersBackend(),
};
