import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** checkAndDelete deletes whatever the key holds. */
class CadIgnoresExpectedBackend extends MemoryBackend {
  protected override doCheckAndDelete(key: string, _expected: string): Promise<boolean> {
    return this.doDelete(key);
  }
}

export const cadIgnoresExpected: BrokenFixture = {
  name: 'cad-ignores-expected',
  defect: 'checkAndDelete ignores its expected value (a blind delete)',
  breaks: ['cad.mismatch', 'linearizability.workload'],
  create: async () => new CadIgnoresExpectedBackend(),
};
