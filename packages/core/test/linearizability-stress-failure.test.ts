import { expect, it, vi } from 'vitest';
import {
  checkWorkload,
  type WorkloadReport,
} from '../src/conformance/linearizability/check-workload.js';
import { LinearizabilityTestBackend } from './linearizability-test-backend.js';

// Floors no run can meet, so a correct backend shows what a stress failure looks like.
vi.mock('../src/conformance/linearizability/requirements.js', async (importOriginal) => {
  const { WORKLOAD_REQUIREMENTS } =
    await importOriginal<typeof import('../src/conformance/linearizability/requirements.js')>();
  return {
    WORKLOAD_REQUIREMENTS: { ...WORKLOAD_REQUIREMENTS, maxOperations: 3000, minCasWon: 1_000_000 },
  };
});

it('a run short of a floor continues to maxOperations, then fails saying its history was linearizable and what to change', async () => {
  const reports: WorkloadReport[] = [];
  const failure = await checkWorkload(
    new LinearizabilityTestBackend({ latency: 'immediate' }),
    undefined,
    'register',
    (report) => reports.push(report),
  ).then(
    () => undefined,
    (error: Error) => error,
  );
  expect(failure?.message).toMatch(
    /^The history of 3000 ops was linearizable: no violation was found\. But the run did not stress the model enough for that to mean much:\n- checkAndSet calls that won: \d+, at least 1000000 required\. .*per-key locks.*\nseed \d+ \(replay with STRONGBOX_LINEARIZABILITY_SEED=\d+\); 3000 ops/,
  );
  expect(reports).toHaveLength(1);
  const [report] = reports;
  expect(report?.verdict).toBe('linearizable');
  expect(report?.stats.operations).toBe(3000);
  expect(report?.shortfalls).toHaveLength(1);
  expect(failure?.message).toContain(report?.summary);
});
