import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkWorkload,
  SEED_VARIABLE,
  stressShortfalls,
} from '../src/conformance/linearizability/check-workload.js';
import type { WorkloadStats } from '../src/conformance/linearizability/workload.js';
import { runWorkload } from '../src/conformance/linearizability/workload.js';
import {
  LinearizabilityTestBackend,
  type TestBackendOptions,
} from './linearizability-test-backend.js';

/** Runs per broken backend; docs/testing.md reports the detection rates. */
const DETECTION_RUNS = 20;
/** Fewer for the counter workload: shrinking a violation among hundreds of increments takes seconds. */
const COUNTER_DETECTION_RUNS = 5;
/** Fewer for the fault case: its clients back off after each rejection, so a run takes longer. */
const FAULT_DETECTION_RUNS = 10;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the linearizability workload', () => {
  it('passes an atomic in-process backend and stresses it: CAS races and overlapping ops', async () => {
    const stats = await checkWorkload(new LinearizabilityTestBackend({ latency: 'immediate' }));
    expect(stats.operations).toBe(2000);
    expect(stats.casWon).toBeGreaterThanOrEqual(50);
    expect(stats.casLost).toBeGreaterThanOrEqual(50);
    expect(stats.overlap.overlappingFraction).toBeGreaterThanOrEqual(0.5);
  });

  it('extends a run, a quarter of its operations at a time, while it is not stressed enough', async () => {
    const run = (stressed: (stats: WorkloadStats) => boolean, maxOperations = 1000) =>
      runWorkload(new LinearizabilityTestBackend({ latency: 'immediate' }), {
        seed: 3,
        operations: 400,
        maxOperations,
        stressed,
      });
    expect((await run(() => true)).stats.operations).toBe(400);
    expect((await run(() => false)).stats.operations).toBe(1000);
    const asked: number[] = [];
    const untilWins = await run((stats) => {
      asked.push(stats.operations);
      return stats.casWon >= 100;
    }, 4000);
    expect(untilWins.stats.casWon).toBeGreaterThanOrEqual(100);
    expect(untilWins.stats.operations % 100).toBe(0);
    expect(untilWins.stats.operations).toBeGreaterThan(400);
    // Asked once per step, with the ops resolved so far (a few may still run).
    expect(asked.length).toBe((untilWins.stats.operations - 400) / 100 + 1);
  });

  it('passes an atomic networked backend whose connections drop during the run', async () => {
    const backend = new LinearizabilityTestBackend({ latency: 'network' });
    const stats = await checkWorkload(backend, {
      count: 4,
      inject: () => backend.dropConnections(),
    });
    expect(stats.faultsInjected).toBe(4);
    expect(stats.indeterminate).toBeGreaterThan(0);
  });

  it('replays the same choices from the same seed', async () => {
    const run = (seed: number) =>
      runWorkload(new LinearizabilityTestBackend({ latency: 'immediate' }), {
        seed,
        operations: 300,
      });
    const calls = async (seed: number) =>
      (await run(seed)).history.map(({ client, key, op, result }) => ({ client, key, op, result }));
    expect(await calls(5)).toEqual(await calls(5));
    expect(await calls(5)).not.toEqual(await calls(6));
  });

  const broken: Record<string, { options: TestBackendOptions; faults: boolean; runs: number }> = {
    'an in-process backend whose checkAndSet awaits between read and write': {
      options: { latency: 'immediate', nonAtomicCas: true },
      faults: false,
      runs: DETECTION_RUNS,
    },
    'a networked backend whose checkAndSet reads and writes in two round trips': {
      options: { latency: 'network', nonAtomicCas: true },
      faults: false,
      runs: DETECTION_RUNS,
    },
    'a networked backend that reports writes cut by a dropped connection as not applied': {
      options: { latency: 'network', dropsLookDefinite: true },
      faults: true,
      runs: FAULT_DETECTION_RUNS,
    },
  };
  for (const [name, { options, faults, runs }] of Object.entries(broken)) {
    it(`fails ${name} in every one of ${runs} seeded runs, naming the seed`, async () => {
      let detected = 0;
      for (let seed = 1; seed <= runs; seed++) {
        vi.stubEnv(SEED_VARIABLE, String(seed));
        const backend = new LinearizabilityTestBackend({ ...options, seed });
        const drops = { count: 4, inject: () => backend.dropConnections() };
        const outcome = await checkWorkload(backend, faults ? drops : undefined).then(
          () => 'passed',
          (error: Error) => error.message,
        );
        expect(outcome).toMatch(
          /^violation: Key "linearizability:\d": no order of the operations explains/,
        );
        expect(outcome).toContain(`seed ${seed} (replay with ${SEED_VARIABLE}=${seed})`);
        detected++;
      }
      expect(detected).toBe(runs);
    });
  }
});

describe('the hot-key counter workload', () => {
  for (const combine of [true, false]) {
    for (const latency of ['immediate', 'network'] as const) {
      it(`passes an atomic ${latency} backend, increments ${combine ? '' : 'not '}combined`, async () => {
        const backend = new LinearizabilityTestBackend({ latency, combine });
        const stats = await checkWorkload(backend, undefined, 'counter');
        expect(stats.operations).toBe(2000);
        expect(stats.counterOps).toBeGreaterThanOrEqual(1000);
        expect(stats.overlap.overlappingFraction).toBeGreaterThanOrEqual(0.5);
      });
    }
  }

  it('passes an atomic networked backend whose connections drop during the run', async () => {
    const backend = new LinearizabilityTestBackend({ latency: 'network' });
    const drops = { count: 4, inject: () => backend.dropConnections() };
    const stats = await checkWorkload(backend, drops, 'counter');
    expect(stats.faultsInjected).toBe(4);
    expect(stats.indeterminate).toBeGreaterThan(0);
  });

  it(`fails a backend whose checkAndSet is not atomic (update and the default increment use it) in each of ${COUNTER_DETECTION_RUNS} seeded runs`, async () => {
    let detected = 0;
    for (let seed = 1; seed <= COUNTER_DETECTION_RUNS; seed++) {
      vi.stubEnv(SEED_VARIABLE, String(seed));
      const backend = new LinearizabilityTestBackend({
        latency: 'immediate',
        nonAtomicCas: true,
        seed,
      });
      const outcome = await checkWorkload(backend, undefined, 'counter').then(
        () => 'passed',
        (error: Error) => error.message,
      );
      if (outcome.startsWith('violation: Key "linearizability:hot:0"')) detected++;
    }
    expect(detected).toBe(COUNTER_DETECTION_RUNS);
  }, 120_000);
});

describe('stressShortfalls', () => {
  const stats: WorkloadStats = {
    operations: 2000,
    indeterminate: 0,
    failed: 0,
    casAttempts: 800,
    casSuccessRate: 0.3,
    casWon: 240,
    casLost: 560,
    counterOps: 0,
    overlap: { overlappingFraction: 0.9, meanConcurrency: 4 },
    faultsInjected: 0,
  };

  it('accepts a run that raced CAS calls and overlapped ops', () => {
    expect(stressShortfalls(stats, false)).toEqual([]);
  });

  it('names each measure below its minimum', () => {
    const gentle = {
      ...stats,
      casWon: 49,
      casLost: 12,
      overlap: { overlappingFraction: 0.2, meanConcurrency: 0.3 },
    };
    const problems = stressShortfalls(gentle, false);
    expect(problems.map((line) => line.slice(0, line.indexOf('. ') + 1))).toEqual([
      'checkAndSet calls that won: 49, at least 50 required.',
      'checkAndSet calls that lost: 12, at least 50 required.',
      'share of ops overlapping another on their key: 20.0%, at least 50.0% required.',
    ]);
    // Each says what to change.
    expect(problems[0]).toContain('per-key locks');
    expect(problems[1]).toContain('synchronous I/O');
    expect(stressShortfalls({ ...stats, casWon: 50, casLost: 50 }, false)).toEqual([]);
  });

  it('asks a counter run for increments and updates instead of CAS races', () => {
    const counters = {
      ...stats,
      casAttempts: 0,
      casSuccessRate: 0,
      casWon: 0,
      casLost: 0,
      counterOps: 1200,
    };
    expect(stressShortfalls(counters, false, 'counter')).toEqual([]);
    const [problem, ...more] = stressShortfalls({ ...counters, counterOps: 600 }, false, 'counter');
    expect(more).toEqual([]);
    expect(problem).toMatch(
      /^share of increment and update ops: 30\.0%, at least 50\.0% required\. /,
    );
  });

  it('under faults, requires most ops to resolve', () => {
    const flooded = { ...stats, indeterminate: 600, failed: 600, faultsInjected: 4 };
    const [problem, ...more] = stressShortfalls(flooded, true);
    expect(more).toEqual([]);
    expect(problem).toMatch(
      /^share of ops resolved under faults: 40\.0%, at least 50\.0% required\. /,
    );
    expect(stressShortfalls(flooded, false)).toEqual([]);
  });
});
