import type { ConformanceHarness } from '../harness.js';
import type { ConformanceOptions } from '../options.js';
import { checkWorkload } from './check-workload.js';
import { WORKLOAD_REQUIREMENTS as REQUIRED } from './requirements.js';

/**
 * Atomicity: a seeded randomized workload, recorded and checked for linearizability per key;
 * a second one with connections dropped during it when the adapter supplies `faults`.
 */
export function registerLinearizabilityTests(
  suite: ConformanceHarness,
  options: Pick<ConformanceOptions, 'faults'>,
): void {
  const shape = `${REQUIRED.operations} ops by ${REQUIRED.clients} concurrent clients on ${REQUIRED.keys} keys`;
  suite.test(
    'linearizability.workload',
    `a seeded random workload of ${shape} is linearizable per key`,
    async ({ backend }) => {
      await checkWorkload(backend);
    },
  );
  const { faults } = options;
  if (faults === undefined) return;
  suite.test(
    'linearizability.faults',
    `the same workload is linearizable with connections dropped ${REQUIRED.faults} times during it`,
    async ({ backend }) => {
      await checkWorkload(backend, {
        count: REQUIRED.faults,
        inject: () => faults.dropConnections(backend),
      });
    },
  );
}
