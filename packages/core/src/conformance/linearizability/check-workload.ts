import assert from 'node:assert/strict';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { KVBackend } from '../../backend.js';
import { isKVError } from '../../errors.js';
import {
  checkLinearizability,
  type Inconclusive,
  type LinearizabilityResult,
  type Violation,
} from './check.js';
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

/** What the linearizability workload reports after each run (see `onWorkload`), passing or failing. */
export interface WorkloadReport {
  /** The workload's mix: `register` (get, checkAndSet, ...) or `counter` (one hot key). */
  readonly mix: WorkloadMix;
  /** Whether connections were dropped during the run (`linearizability.faults`). */
  readonly underFaults: boolean;
  /** The run's seed: `STRONGBOX_LINEARIZABILITY_SEED=<seed>` replays its choices. */
  readonly seed: number;
  /** The run's counts and measures. */
  readonly stats: WorkloadStats;
  /** What the linearizability check found. */
  readonly verdict: LinearizabilityResult['verdict'];
  /** The stress floors the run missed, each with what it means; empty when it met them all. */
  readonly shortfalls: readonly string[];
  /** One line with the seed and the measures, as a failure prints it. */
  readonly summary: string;
}

/**
 * Run the randomized workload of `mix` on `backend` (with `faults` injected during it, if
 * given) and fail, naming the seed and the run's measures, unless the history is
 * linearizable (the failure shows a readable window of ops) and the run stressed the model
 * enough for that to mean something. A run short of a stress floor continues, up to
 * `WORKLOAD_REQUIREMENTS.maxOperations`, before it fails. Every run is reported to
 * `onReport`, if given. Resolves with the run's measures.
 */
export async function checkWorkload(
  backend: KVBackend,
  faults?: WorkloadOptions['faults'],
  mix: WorkloadMix = 'register',
  onReport?: (report: WorkloadReport) => void,
): Promise<WorkloadStats> {
  const seed = workloadSeed();
  const underFaults = faults !== undefined;
  const { history, stats } = await runWorkload(backend, {
    seed,
    mix,
    // Under faults every increment or update whose outcome is unknown may or may not have
    // happened, and on one hot key the checker's search over those grows past its budget:
    // the counter mix then spreads its clients over a few hot keys (several still share each).
    ...(underFaults && mix === 'counter' ? { keys: REQUIRED.keys } : {}),
    maxOperations: REQUIRED.maxOperations,
    stressed: (sofar) => stressShortfalls(sofar, underFaults, mix).length === 0,
    ...(faults === undefined ? {} : { faults }),
  });
  const summary = describeRun(seed, stats);
  let violation: Violation | Inconclusive | undefined;
  for (const key of [...new Set(history.map((op) => op.key))].sort()) {
    // Keys are independent; checking them one event-loop turn apart keeps each stall short
    // for the timers of tests running beside this one.
    await nextMacrotask();
    const result = checkLinearizability(history.filter((op) => op.key === key));
    if (result.verdict !== 'linearizable') {
      violation = result;
      break;
    }
  }
  const shortfalls = stressShortfalls(stats, underFaults, mix);
  const verdict = violation?.verdict ?? 'linearizable';
  onReport?.({ mix, underFaults, seed, stats, verdict, shortfalls, summary });
  if (violation !== undefined) {
    assert.fail(`${violation.verdict}: ${violation.message}\n${summary}`);
  }
  const rejections = rejectionProblems(history, underFaults);
  if (rejections.length > 0) assert.fail(`${rejections.join('\n')}\n${summary}`);
  if (shortfalls.length > 0) {
    assert.fail(
      `The history of ${stats.operations} ops was linearizable: no violation was found. But the ` +
        `run did not stress the model enough for that to mean much:\n` +
        `${shortfalls.map((line) => `- ${line}`).join('\n')}\n${summary}`,
    );
  }
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

/** What a missed floor means for an adapter whose history was linearizable, and what to change. */
const ADVICE = {
  casWon:
    'each client reads a key and then checkAndSets from what it read, so a CAS wins unless ' +
    'another write lands in between; this many losses (after extending the run) means calls ' +
    'wait behind many others. Let calls on different keys proceed without waiting for each ' +
    'other (per-key locks instead of one queue for the whole store), or keep the queue short.',
  casLost:
    'checkAndSet calls hardly ever raced: each call seems to finish before the next one is ' +
    'invoked. Look for synchronous I/O blocking the event loop inside a call, or a wrapper ' +
    'that awaits calls one at a time; calls must stay pending while others are invoked.',
  overlap:
    'calls hardly overlapped: each seems to finish before the next one is invoked. Look for ' +
    'synchronous I/O blocking the event loop inside a call, or a wrapper that awaits calls one ' +
    'at a time.',
  counterShare:
    'the counter mix is about 70 % increments and updates by construction, so calls went ' +
    'missing from the record: a bug of the workload in @strongbox/core, please report it.',
  resolvedUnderFaults:
    'after faults.dropConnections the backend must fail fast and then serve again by itself ' +
    'within FAULT_RECOVERY_WINDOW_MS; check that it reconnects, and that dropConnections cuts ' +
    "only this backend's connections.",
} as const;

/**
 * Why a run was too gentle for its linearizability check to mean much, one line per missed
 * floor with what it means and what to change; empty when it met every floor. A `counter` run
 * has no checkAndSet calls of its own: its CAS races are inside `update`.
 */
export function stressShortfalls(
  stats: WorkloadStats,
  underFaults: boolean,
  mix: WorkloadMix = 'register',
): string[] {
  const problems: string[] = [];
  const need = (what: string, got: number, least: number, advice: string, shown = percent) => {
    if (got < least) {
      problems.push(`${what}: ${shown(got)}, at least ${shown(least)} required. ${advice}`);
    }
  };
  const count = (n: number) => String(n);
  if (mix === 'register') {
    need('checkAndSet calls that won', stats.casWon, REQUIRED.minCasWon, ADVICE.casWon, count);
    need('checkAndSet calls that lost', stats.casLost, REQUIRED.minCasLost, ADVICE.casLost, count);
  } else {
    const share = stats.operations === 0 ? 0 : stats.counterOps / stats.operations;
    need(
      'share of increment and update ops',
      share,
      REQUIRED.minCounterOpShare,
      ADVICE.counterShare,
    );
  }
  need(
    'share of ops overlapping another on their key',
    stats.overlap.overlappingFraction,
    REQUIRED.minOverlappingFraction,
    ADVICE.overlap,
  );
  if (underFaults) {
    const resolved = 1 - (stats.indeterminate + stats.failed) / stats.operations;
    need(
      'share of ops resolved under faults',
      resolved,
      REQUIRED.minResolvedFractionUnderFaults,
      ADVICE.resolvedUnderFaults,
    );
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
  const cas =
    stats.casAttempts === 0
      ? ''
      : `${stats.casAttempts} checkAndSet: ${stats.casWon} won, ${stats.casLost} lost ` +
        `(${percent(stats.casSuccessRate)} won); `;
  const counters = stats.counterOps === 0 ? '' : `${stats.counterOps} increments and updates; `;
  return (
    `seed ${seed} (replay with ${SEED_VARIABLE}=${seed}); ${stats.operations} ops, ` +
    `${stats.indeterminate} indeterminate, ${stats.failed} failed, ${stats.faultsInjected} faults; ` +
    `${cas}${counters}` +
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
