import type { KVBackend } from '@strongbox/core';
import { describeConformance, type WorkloadReport } from '@strongbox/core/conformance';
import { afterEach, expect, it, vi } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

/**
 * Seeds per backend. Each runs `[linearizability.workload]` as an adapter's suite does, through
 * the public API: the register mix, then the counter mix, each checked and held to the stress
 * floors, with every run's measures reported to `onWorkload`. (A backend serializing every call
 * through one queue gets the same treatment in core's linearizability-margin test.)
 */
const SEEDS = 200;

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The suite's `[linearizability.workload]` test on `create`, reporting every run to `reports`. */
function workloadTest(create: () => Promise<KVBackend>, reports: WorkloadReport[]) {
  let test: (() => Promise<void>) | undefined;
  describeConformance({
    name: 'margin',
    create,
    onWorkload: (report) => reports.push(report),
    runner: {
      describe: (_name, register) => register(),
      it: (name, fn) => {
        if (name.startsWith('[linearizability.workload] ')) test = fn;
      },
    },
  });
  if (test === undefined) throw new Error('the suite has no [linearizability.workload] test');
  return test;
}

/** The smallest value of `measure` over the reports of `mix`. */
function least(
  reports: WorkloadReport[],
  mix: WorkloadReport['mix'],
  measure: (r: WorkloadReport) => number,
) {
  return Math.min(...reports.filter((report) => report.mix === mix).map(measure));
}

const targets: Record<string, () => Promise<KVBackend>> = {
  memory: () => createMemoryBackend(),
};

for (const [name, create] of Object.entries(targets)) {
  it(`[linearizability.workload] passes ${name} on each of ${SEEDS} seeds, every floor met without extending the run`, async () => {
    const reports: WorkloadReport[] = [];
    const run = workloadTest(create, reports);
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      vi.stubEnv('STRONGBOX_LINEARIZABILITY_SEED', String(seed));
      await run().catch((error: Error) => failures.push(`seed ${seed}: ${error.message}`));
    }
    expect(failures).toEqual([]);
    expect(reports).toHaveLength(2 * SEEDS);
    expect(reports.filter((report) => report.shortfalls.length > 0)).toEqual([]);
    // The margin: no run needed more than the planned 2000 ops to meet the floors.
    expect(reports.filter((report) => report.stats.operations !== 2000)).toEqual([]);
    const margins = {
      casWon: least(reports, 'register', (r) => r.stats.casWon),
      casLost: least(reports, 'register', (r) => r.stats.casLost),
      casSuccessRate: least(reports, 'register', (r) => r.stats.casSuccessRate),
      overlapping: Math.min(...reports.map((r) => r.stats.overlap.overlappingFraction)),
      counterShare: least(reports, 'counter', (r) => r.stats.counterOps / r.stats.operations),
    };
    console.log(`${name}: least of ${SEEDS} seeds ${JSON.stringify(margins)}`);
  }, 120_000);
}
