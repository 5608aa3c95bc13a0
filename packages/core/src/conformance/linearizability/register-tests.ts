import type { ConformanceHarness } from '../harness.js';
import type { ConformanceOptions } from '../options.js';
import { checkWorkload } from './check-workload.js';
import { WORKLOAD_REQUIREMENTS as REQUIRED } from './requirements.js';

/**
 * Atomicity: seeded randomized workloads, recorded and checked for linearizability per key:
 * the register mix on a few keys, then the counter mix (increment, `update`) on one hot key;
 * both again with connections dropped during them when the adapter supplies `faults`.
 * Increments combine when the backend does: run the suite on a `combine: false` backend too
 * to check both ways.
 */
export function registerLinearizabilityTests(
  suite: ConformanceHarness,
  options: Pick<ConformanceOptions, 'faults' | 'onWorkload'>,
): void {
  const shape = `${REQUIRED.operations} ops by ${REQUIRED.clients} concurrent clients on ${REQUIRED.keys} keys`;
  suite.test(
    'linearizability.workload',
    `a seeded random workload of ${shape}, then ${REQUIRED.operations} increments, updates, reads and resets on one hot key, is linearizable per key`,
    async ({ backend }) => {
      await checkWorkload(backend, undefined, 'register', options.onWorkload);
      await checkWorkload(backend, undefined, 'counter', options.onWorkload);
    },
  );
  const { faults } = options;
  if (faults === undefined) return;
  suite.test(
    'linearizability.faults',
    `the same workloads are linearizable with connections dropped ${REQUIRED.faults} times during each`,
    async ({ backend }) => {
      const drops = { count: REQUIRED.faults, inject: () => faults.dropConnections(backend) };
      await checkWorkload(backend, drops, 'register', options.onWorkload);
      await checkWorkload(backend, drops, 'counter', options.onWorkload);
    },
  );
}
