import { describe, expect, it } from 'vitest';
import { ConformanceHarness } from '../src/conformance/harness.js';
import { registerLinearizabilityTests } from '../src/conformance/linearizability/register-tests.js';
import type { ConformanceOptions } from '../src/conformance/options.js';
import { LinearizabilityTestBackend } from './linearizability-test-backend.js';

/** Register the tests with a runner that only records their names. */
function registeredNames(options: Omit<ConformanceOptions, 'runner'>): string[] {
  const names: string[] = [];
  const runner = {
    describe: (_: string, fn: () => void) => fn(),
    it: (name: string) => names.push(name),
  };
  registerLinearizabilityTests(new ConformanceHarness({ ...options, runner }), options);
  return names;
}

const create = async () => new LinearizabilityTestBackend({ latency: 'network' });
const faults = {
  dropConnections: (backend: unknown) => (backend as LinearizabilityTestBackend).dropConnections(),
};

describe('registerLinearizabilityTests', () => {
  it('registers the workload test, and the fault test only when the adapter gives fault hooks', () => {
    expect(registeredNames({ name: 'x', create })).toEqual([
      '[linearizability.workload] a seeded random workload of 2000 ops by 16 concurrent clients on 3 keys, then 2000 increments, updates, reads and resets on one hot key, is linearizable per key',
    ]);
    expect(registeredNames({ name: 'x', create, faults })).toEqual([
      '[linearizability.workload] a seeded random workload of 2000 ops by 16 concurrent clients on 3 keys, then 2000 increments, updates, reads and resets on one hot key, is linearizable per key',
      '[linearizability.faults] the same workloads are linearizable with connections dropped 4 times during each',
    ]);
  });
});

// The registered tests themselves, run by vitest on the in-test networked backend.
describe('linearizability tests on an atomic networked in-test backend', () => {
  registerLinearizabilityTests(
    new ConformanceHarness({ name: 'network', create, runner: { describe, it }, faults }),
    {
      faults,
    },
  );
});
