import assert from 'node:assert/strict';
import type { KVBackend } from '../../backend.js';
import { isKVError } from '../../errors.js';
import { checkLinearizability } from './check.js';
import { describeAnswer, describeCall } from './format-window.js';
import type { HistoryOp } from './history.js';
import { WORKLOAD_REQUIREMENTS as REQUIRED } from './requirements.js';
import { runWorkload, type WorkloadOptions, type WorkloadStats } from './workload.js';

/** Set to replay a failing run's choices (the interleaving of a networked backend may differ). */
export const SEED_VARIABLE = 'STRONGBOX_LINEARIZABILITY_SEED';

/**
 * Run the randomized workload on `backend` (with `faults` injected during it, if given) and
 * fail with the seed, the run's measures and a readable window of ops unless the history is
 * linearizable and the run stressed the model enough for that to mean something.
 */
export async function checkWorkload(
  backend: KVBackend,
  faults?: WorkloadOptions['faults'],
): Promise<void> {
  const seed = workloadSeed();
  const { history, stats } = await runWorkload(backend, {
    seed,
    clients: REQUIRED.clients,
    keys: REQUIRED.keys,
    operations: REQUIRED.operations,
    ...(faults === undefined ? {} : { faults }),
  });
  const about = `\n${describeRun(seed, stats)}`;

  const rejected = history.filter((op) => op.result.status !== 'ok');
  if (faults === undefined) {
    assert.equal(
      rejected.length,
      0,
      `ops rejected without faults, first: ${show(rejected)}${about}`,
    );
  } else {
    const foreign = rejected.filter((op) => !isKVError(errorOf(op)));
    assert.equal(
      foreign.length,
      0,
      `rejections that are not KVErrors, first: ${show(foreign)}${about}`,
    );
    const resolved = 1 - rejected.length / stats.operations;
    assert.ok(
      resolved >= REQUIRED.minResolvedFractionUnderFaults,
      `only ${percent(resolved)} of ops resolved under faults (need ${percent(REQUIRED.minResolvedFractionUnderFaults)})${about}`,
    );
  }

  const result = checkLinearizability(history);
  assert.ok(
    result.verdict === 'linearizable',
    `${result.verdict}: ${'message' in result ? result.message : ''}${about}`,
  );
  assert.ok(
    stats.casSuccessRate >= REQUIRED.minCasSuccessRate,
    `CAS success rate ${percent(stats.casSuccessRate)} is below ${percent(REQUIRED.minCasSuccessRate)}: the run did not exercise CAS races${about}`,
  );
  assert.ok(
    stats.overlap.overlappingFraction >= REQUIRED.minOverlappingFraction,
    `only ${percent(stats.overlap.overlappingFraction)} of ops overlapped another on their key (need ${percent(REQUIRED.minOverlappingFraction)})${about}`,
  );
}

/** The seed from {@link SEED_VARIABLE}, else a fresh one so each run explores new choices. */
function workloadSeed(): number {
  const fixed = process.env[SEED_VARIABLE];
  if (fixed !== undefined && fixed !== '') {
    const seed = Number(fixed);
    assert.ok(Number.isSafeInteger(seed), `${SEED_VARIABLE} must be an integer, got ${fixed}`);
    return seed;
  }
  return Math.floor(Math.random() * 0x1_0000_0000);
}

/** One line with the seed and the run's measures, appended to every failure. */
export function describeRun(seed: number, stats: WorkloadStats): string {
  return (
    `seed ${seed} (replay with ${SEED_VARIABLE}=${seed}); ${stats.operations} ops, ` +
    `${stats.indeterminate} indeterminate, ${stats.failed} failed, ${stats.faultsInjected} faults; ` +
    `CAS success ${percent(stats.casSuccessRate)} of ${stats.casAttempts}; ` +
    `${percent(stats.overlap.overlappingFraction)} of ops overlap another on their key, ` +
    `${stats.overlap.meanConcurrency.toFixed(2)} on average`
  );
}

function errorOf(op: HistoryOp): unknown {
  return op.result.status === 'ok' ? undefined : op.result.error;
}

function show(ops: readonly HistoryOp[]): string {
  const op = ops[0];
  if (op === undefined) return 'none';
  return `${op.client} ${describeCall(op.op)} on ${JSON.stringify(op.key)} -> ${describeAnswer(op)}: ${String(errorOf(op))}`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
