import { performance } from 'node:perf_hooks';
import {
  describeAnswer,
  describeCall,
  formatOpTable,
  formatViolationWindow,
} from './format-window.js';
import type { HistoryOp } from './history.js';
import { searchLinearization } from './search.js';
import { asObserved } from './search-input.js';
import { findViolationWindow, type ViolationWindow, writtenValues } from './violation-window.js';

/** Options of {@link checkLinearizability}. */
export interface CheckOptions {
  /**
   * Time the search may take before the result is `inconclusive` (default 10 000 ms). Once a
   * violation is found, shrinking it to a small window gets as long again.
   */
  timeBudgetMs?: number;
}

/** Every key's history is linearizable. */
export interface Linearizable {
  readonly verdict: 'linearizable';
  readonly keys: number;
  /** Ops checked: those that resolved or rejected indeterminately. */
  readonly operations: number;
  readonly elapsedMs: number;
}

/** One key's history is not linearizable. */
export interface Violation {
  readonly verdict: 'violation';
  readonly key: string;
  /** Undefined when shrinking ran out of time; `message` then lists the key's last ops. */
  readonly window: ViolationWindow | undefined;
  /** A readable explanation with the window's ops. */
  readonly message: string;
  readonly elapsedMs: number;
}

/** The time budget ran out before the search could decide. Never a pass. */
export interface Inconclusive {
  readonly verdict: 'inconclusive';
  readonly key: string;
  readonly message: string;
  readonly elapsedMs: number;
}

/** What {@link checkLinearizability} concluded. */
export type LinearizabilityResult = Linearizable | Violation | Inconclusive;

const DEFAULT_TIME_BUDGET_MS = 10_000;
/** Ops listed when a violation could not be shrunk in time. */
const FALLBACK_ROWS = 20;

/**
 * Check that a recorded history is linearizable for the model "one register per key" (get,
 * set, checkAndSet, checkAndDelete, delete; TTL-free; null = absent; every key starts absent).
 * Keys are independent, so each key's ops are checked on their own. Failed ops (rejected
 * without `indeterminate`) took no effect and are ignored; indeterminate ones may take effect
 * at any time after their invocation, or never.
 */
export function checkLinearizability(
  history: readonly HistoryOp[],
  options: CheckOptions = {},
): LinearizabilityResult {
  const began = performance.now();
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const deadline = began + budget;
  const elapsed = () => performance.now() - began;
  const byKey = partitionByKey(history);
  const origin = history.reduce((first, op) => Math.min(first, op.invokedAt), Infinity);
  let operations = 0;

  for (const [key, ops] of byKey) {
    operations += ops.length;
    const verdict = searchLinearization(ops.map(asObserved), deadline);
    if (verdict === 'timeout') {
      const message =
        `checking key ${JSON.stringify(key)} (${ops.length} ops) did not finish within the ` +
        `${budget} ms budget. This is not a pass: reduce concurrency or the number of ops.`;
      return { verdict: 'inconclusive', key, message, elapsedMs: elapsed() };
    }
    if (verdict === 'violation') {
      const window = findViolationWindow(ops, performance.now() + budget);
      const message =
        window === undefined
          ? unshrunkMessage(key, ops, origin, budget)
          : formatViolationWindow(key, window, origin) + unwrittenNote(window, ops, history);
      return { verdict: 'violation', key, window, message, elapsedMs: elapsed() };
    }
  }
  return { verdict: 'linearizable', keys: byKey.size, operations, elapsedMs: elapsed() };
}

/** The checked ops of each key (failed ones dropped), keys in sorted order. */
function partitionByKey(history: readonly HistoryOp[]): Map<string, HistoryOp[]> {
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of [...history].sort((a, b) => a.id - b.id)) {
    if (op.result.status === 'failed') continue;
    const ops = byKey.get(op.key);
    if (ops === undefined) byKey.set(op.key, [op]);
    else ops.push(op);
  }
  return new Map([...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * When the culprit saw a value that no checked op of its key wrote, say so, and name the
 * failed ops that tried to write it: a failed op must take no effect.
 */
function unwrittenNote(
  window: ViolationWindow,
  checked: readonly HistoryOp[],
  history: readonly HistoryOp[],
): string {
  const { culprit } = window;
  const seen = observedValue(culprit);
  if (seen === undefined || writtenValues(checked).has(seen)) return '';
  const writers = history.filter(
    (op) => op.key === culprit.key && op.result.status === 'failed' && writes(op, seen),
  );
  const by = writers.map(
    (op) => `#${op.id} ${op.client} ${describeCall(op.op)} -> ${describeAnswer(op)}`,
  );
  return (
    `\nNo op that may have taken effect wrote ${JSON.stringify(seen)}` +
    (by.length === 0
      ? '.'
      : `; only ops that failed (and so must take no effect) did: ${by.join('; ')}.`)
  );
}

/** The stored value an op's answer says it saw, if it names one. */
function observedValue(op: HistoryOp): string | undefined {
  if (op.result.status !== 'ok') return undefined;
  const { output } = op.result;
  if (op.op.name === 'get') return typeof output === 'string' ? output : undefined;
  if (op.op.name === 'checkAndSet' && output === true) return op.op.expected ?? undefined;
  if (op.op.name === 'checkAndDelete' && output === true) return op.op.expected;
  return undefined;
}

function writes(op: HistoryOp, value: string): boolean {
  return (
    (op.op.name === 'set' && op.op.value === value) ||
    (op.op.name === 'checkAndSet' && op.op.next === value)
  );
}

function unshrunkMessage(key: string, ops: readonly HistoryOp[], origin: number, budget: number) {
  const last = ops.slice(-FALLBACK_ROWS).map((op) => ({
    op,
    role: op.completedAt === undefined ? ('pending' as const) : ('window' as const),
  }));
  return [
    `Key ${JSON.stringify(key)}: the history is not linearizable. Shrinking it to a small window ` +
      `ran out of its ${budget} ms budget; the key's last ${last.length} ops (times in ms):`,
    formatOpTable(last, origin),
  ].join('\n');
}
