import assert from 'node:assert/strict';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { KVBackend } from '../../backend.js';
import { isKVError } from '../../errors.js';
import { checkLinearizability } from './check.js';
import { describeAnswer, describeCall } from './format-window.js';
import type { HistoryOp } from './history.js';
import { WORKLOAD_REQUIREMENTS as REQUIRED } from './requirements.js';
import {
  runWorkload,
  type WorkloadMix,
  type WorkloadOptions,
  type WorkloadStats,
} from './workload.js';

/** Set to replay a failing run's choices (the interleaving of a networked backend may differ). */
export const SEED_VARIABLE = 'STRONGBOX_LINEARIZABILITY_SEED';

/**
 * Run the randomized workload of `mix` on `backend` (with `faults` injected during it, if
 * given) and fail, naming the seed and the run's measures, unless the history is
 * linearizable (the failure shows a readable window of ops) and the run stressed the model
 * enough for that to mean something. Resolves with the run's measures.
 */
export async function checkWorkload(
  backend: KVBackend,
  faults?: WorkloadOptions['faults'],
  mix: WorkloadMix = 'register',
): Promise<WorkloadStats> {
  const seed = workloadSeed();
  const { history, stats } = await runWorkload(backend, {
    seed,
    mix,
    ...(faults === undefined ? {} : { faults }),
  });
  const about = `\n${describeRun(seed, stats)}`;
  for (const key of [...new Set(history.map((op) => op.key))].sort()) {
    // Keys are independent; checking them one event-loop turn apart keeps each stall short
    // for the timers of tests running beside this one.
    await nextMacrotask();
    const result = checkLinearizability(history.filter((op) => op.key === key));
    if (result.verdict !== 'linearizable') {
      assert.fail(`${result.verdict}: ${result.message}${about}`);
    }
  }
  const problems = [
    ...rejectionProblems(history, faults !== undefined),
    ...stressShortfalls(stats, faults !== undefined, mix),
  ];
  if (problems.length > 0) assert.fail(`${problems.join('\n')}${about}`);
  return stats;
}

/** Without faults no op may reject; under faults every rejection must still be a KVError. */
function rejectionProblems(history: readonly HistoryOp[], underFaults: boolean): string[] {
  const rejected = history.filter((op) => op.result.status !== 'ok');
  const wrong = underFaults ? rejected.filter((op) => !isKVError(errorOf(op))) : rejected;
  const first = wrong[0];
  if (first === undefined) return [];
  const what = underFaults ? 'rejections that are not KVErrors' : 'ops rejected without faults';
  return [
    `${wrong.length} ${what}, first: ${first.client} ${describeCall(first.op)} on ` +
      `${JSON.stringify(first.key)} -> ${describeAnswer(first)}: ${String(errorOf(first))}`,
  ];
}

/**
 * Why a run was too gentle for its linearizability check to mean much; empty when it was not.
 * A `counter` run has no checkAndSet calls of its own: its CAS races are inside `update`.
 */
export function stressShortfalls(
  stats: WorkloadStats,
  underFaults: boolean,
  mix: WorkloadMix = 'register',
): string[] {
  const problems: string[] = [];
  const need = (what: string, got: number, least: number) => {
    if (got < least)
      problems.push(`${what} ${percent(got)} is below the required ${percent(least)}`);
  };
  if (mix === 'register') {
    need('CAS success rate', stats.casSuccessRate, REQUIRED.minCasSuccessRate);
  } else {
    const share = stats.operations === 0 ? 0 : stats.counterOps / stats.operations;
    need('share of increment and update ops', share, REQUIRED.minCounterOpShare);
  }
  need(
    'share of ops overlapping another on their key',
    stats.overlap.overlappingFraction,
    REQUIRED.minOverlappingFraction,
  );
  if (underFaults) {
    const resolved = 1 - (stats.indeterminate + stats.failed) / stats.operations;
    need('share of ops resolved under faults', resolved, REQUIRED.minResolvedFractionUnderFaults);
  }
  return problems;
}

/** The seed from {@link SEED_VARIABLE}, else a fresh one so each run explores new choices. */
function workloadSeed(): number {
  const fixed = globalThis.process?.env?.[SEED_VARIABLE];
  if (fixed === undefined || fixed === '') return Math.floor(Math.random() * 0x1_0000_0000);
  const seed = Number(fixed);
  assert.ok(Number.isSafeInteger(seed), `${SEED_VARIABLE} must be an integer, got ${fixed}`);
  return seed;
}

/** One line with the seed and the run's measures, appended to every failure. */
export function describeRun(seed: number, stats: WorkloadStats): string {
  return (
    `seed ${seed} (replay with ${SEED_VARIABLE}=${seed}); ${stats.operations} ops, ` +
    `${stats.indeterminate} indeterminate, ${stats.failed} failed, ${stats.faultsInjected} faults; ` +
    `CAS success ${percent(stats.casSuccessRate)} of ${stats.casAttempts}; ` +
    `${stats.counterOps} increments and updates; ` +
    `${percent(stats.overlap.overlappingFraction)} of ops overlap another on their key, ` +
    `${stats.overlap.meanConcurrency.toFixed(2)} on average`
  );
}

function errorOf(op: HistoryOp): unknown {
  return op.result.status === 'ok' ? undefined : op.result.error;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
