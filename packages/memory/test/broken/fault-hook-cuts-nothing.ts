import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/**
 * A defect in the test set-up rather than the adapter: the fault hook finds no connection to
 * cut (say, it filters on the wrong client name). The fault tests would then pass without
 * testing anything, so they must fail.
 */
export const faultHookCutsNothing: BrokenFixture = {
  name: 'fault-hook-cuts-nothing',
  defect: 'the fault hook cuts no connection',
  breaks: ['faults.unhealthy', 'faults.recovers', 'faults.increment', 'errors.no-values.faults'],
  create: async () => new MemoryBackend(),
  faults: { dropConnections: async () => 0 },
};
