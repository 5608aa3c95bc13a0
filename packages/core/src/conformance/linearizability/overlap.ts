import type { HistoryOp } from './history.js';

/** How much the completed ops of a history overlapped ops on the same key. */
export interface OverlapStats {
  /** Fraction of ops whose interval intersects at least one other op's on the same key. */
  readonly overlappingFraction: number;
  /** Mean number of other ops on the same key each op's interval intersects. */
  readonly meanConcurrency: number;
}

/** Measure how concurrent a history was, per key, over its resolved ops. */
export function measureOverlap(history: readonly HistoryOp[]): OverlapStats {
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history) {
    if (op.result.status !== 'ok' || op.completedAt === undefined) continue;
    const keyOps = byKey.get(op.key);
    if (keyOps === undefined) byKey.set(op.key, [op]);
    else keyOps.push(op);
  }
  let ops = 0;
  let overlapping = 0;
  let concurrency = 0;
  for (const keyOps of byKey.values()) {
    const calls = keyOps.map((op) => op.invokedAt).sort((a, b) => a - b);
    const returns = keyOps.map((op) => op.completedAt as number).sort((a, b) => a - b);
    for (const op of keyOps) {
      // Others overlap unless they returned before this call or were called after this return.
      const others =
        countAtMost(calls, op.completedAt as number) - countBelow(returns, op.invokedAt) - 1;
      ops++;
      concurrency += others;
      if (others > 0) overlapping++;
    }
  }
  return {
    overlappingFraction: ops === 0 ? 0 : overlapping / ops,
    meanConcurrency: ops === 0 ? 0 : concurrency / ops,
  };
}

/** How many of the sorted `values` are <= `limit`. */
function countAtMost(values: readonly number[], limit: number): number {
  return firstIndex(values, (value) => value > limit);
}

/** How many of the sorted `values` are < `limit`. */
function countBelow(values: readonly number[], limit: number): number {
  return firstIndex(values, (value) => value >= limit);
}

function firstIndex(values: readonly number[], past: (value: number) => boolean): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (past(values[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}
