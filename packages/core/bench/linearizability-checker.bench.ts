import { bench, describe } from 'vitest';
import { checkLinearizability } from '../src/conformance/linearizability/check.js';
import { describeRun } from '../src/conformance/linearizability/check-workload.js';
import type { LinearizabilityResult } from '../src/conformance/linearizability/index.js';
import { runWorkload } from '../src/conformance/linearizability/workload.js';
import {
  LinearizabilityTestBackend,
  type TestBackendOptions,
} from '../test/linearizability-test-backend.js';

/**
 * Time to check a 10,000-op history of 16 concurrent clients on 3 keys, recorded from the
 * workload against core's in-test backends: in-process (like memory), with network-like
 * latency (more overlap per op, like Postgres or Redis), with connections dropped 8 times
 * (indeterminate ops the search may place anywhere after their call), and with a non-atomic
 * checkAndSet (the time to find the violation and shrink it to a window). Run with
 * `npx vitest bench --run bench/linearizability-checker.bench.ts` in packages/core.
 */
const SEED = 20_000;
const OPERATIONS = 10_000;

const CASES: Record<
  string,
  { backend: TestBackendOptions; faults: number; verdict: LinearizabilityResult['verdict'] }
> = {
  'in-process backend': { backend: { latency: 'immediate' }, faults: 0, verdict: 'linearizable' },
  'network-like backend': { backend: { latency: 'network' }, faults: 0, verdict: 'linearizable' },
  'network-like backend, 8 connection drops': {
    backend: { latency: 'network' },
    faults: 8,
    verdict: 'linearizable',
  },
  'non-atomic checkAndSet (find and shrink the violation)': {
    backend: { latency: 'network', nonAtomicCas: true },
    faults: 0,
    verdict: 'violation',
  },
};

for (const [name, { backend: options, faults, verdict }] of Object.entries(CASES)) {
  const backend = new LinearizabilityTestBackend({ ...options, seed: SEED });
  const { history, stats } = await runWorkload(backend, {
    seed: SEED,
    clients: 16,
    keys: 3,
    operations: OPERATIONS,
    faults: { count: faults, inject: () => backend.dropConnections() },
  });
  const check = () => {
    const result = checkLinearizability(history);
    if (result.verdict !== verdict) throw new Error(`expected ${verdict}, got ${result.verdict}`);
  };
  describe(`${name}: ${describeRun(SEED, stats)}`, () => {
    bench(`check ${OPERATIONS} ops`, check, { iterations: 10, time: 0, warmupIterations: 2 });
  });
}
