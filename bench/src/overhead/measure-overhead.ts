import type { KVBackend } from '@strongbox/core';
import { collectGarbage, measureAlternating } from '../alternating-turns.js';
import { formatRate, log } from '../format.js';
import { median, quantile } from '../stats.js';
import { VALUE } from '../workloads.js';
import type {
  OverheadComparison,
  OverheadOp,
  OverheadSide,
  OverheadSubject,
} from './overhead-comparison.js';
import { type CallsCost, runFixedCalls } from './run-fixed-calls.js';

/** Keys a cell cycles through, seeded before a `get` cell so every get hits. */
const WORKING_SET = 10_000;

/** How a cell is run. */
export interface OverheadPlan {
  rounds: number;
  /** Calls per turn of one side. */
  calls: number;
}

/** What one side achieved in a cell: medians over the rounds, and each round's figure. */
export interface SideResult {
  label: string;
  description: string;
  opsPerSec: number;
  cpuUsPerOp: number;
  roundOpsPerSec: number[];
  roundCpuUsPerOp: number[];
}

/** The variant's cost per call ÷ the baseline's, per round: 1.03 is 3 % overhead. */
export interface CostRatio {
  median: number;
  /** Quartiles of the per-round ratios: how much the rounds disagreed. */
  p25: number;
  p75: number;
  rounds: number[];
}

/** One comparison × op × concurrency. */
export interface OverheadCellResult {
  subject: OverheadSubject;
  backend: string;
  op: OverheadOp;
  concurrency: number;
  calls: number;
  baseline: SideResult;
  variant: SideResult;
  /** Wall-clock time per call, variant ÷ baseline. */
  wallRatio: CostRatio;
  /** CPU time per call, variant ÷ baseline. */
  cpuRatio: CostRatio;
}

/** Fresh key names per cell, so a `set` cell never writes over keys a `get` cell seeded. */
let cells = 0;

/**
 * Measure a cell: baseline and variant in alternating rounds, each turn a fixed number of
 * calls; per-round ratios of the pair measured back to back, so that load from elsewhere on the
 * machine hits both sides of a ratio alike. One unrecorded round first warms up both sides.
 */
export async function measureOverheadCell(
  comparison: OverheadComparison,
  op: OverheadOp,
  concurrency: number,
  plan: OverheadPlan,
): Promise<OverheadCellResult> {
  const keys = Array.from({ length: WORKING_SET }, (_, i) => `overhead:${++cells}:${i}`);
  if (op === 'get') await seed(comparison.baseline.kv, keys);
  const [baseline, variant] = (await measureAlternating(
    [comparison.baseline, comparison.variant],
    { rounds: plan.rounds, warmupRounds: 1 },
    async (side, { round }) => {
      collectGarbage();
      const leave = side.enter?.();
      let cost: CallsCost;
      try {
        cost = await runFixedCalls(stepOf(side.kv, op, keys), plan.calls, concurrency);
      } finally {
        leave?.();
      }
      if (round >= 0) {
        log(
          `  ${comparison.backend} ${comparison.subject} ${op} c${concurrency} round ${round + 1}/${plan.rounds} ` +
            `${side.label}: ${formatRate((plan.calls * 1000) / cost.wallMs)}/s, ${(cost.cpuUs / plan.calls).toFixed(2)} µs CPU per call`,
        );
      }
      return cost;
    },
  )) as [CallsCost[], CallsCost[]];
  return {
    subject: comparison.subject,
    backend: comparison.backend,
    op,
    concurrency,
    calls: plan.calls,
    baseline: sideResult(comparison.baseline, baseline, plan.calls),
    variant: sideResult(comparison.variant, variant, plan.calls),
    wallRatio: ratioOf(
      variant.map((cost) => cost.wallMs),
      baseline.map((cost) => cost.wallMs),
    ),
    cpuRatio: ratioOf(
      variant.map((cost) => cost.cpuUs),
      baseline.map((cost) => cost.cpuUs),
    ),
  };
}

async function seed(kv: KVBackend, keys: readonly string[]): Promise<void> {
  for (const key of keys) await kv.set(key, VALUE);
}

/** One call of the cell, cycling through its keys. */
function stepOf(kv: KVBackend, op: OverheadOp, keys: readonly string[]): () => Promise<unknown> {
  let next = 0;
  const nextKey = () => {
    const key = keys[next] as string;
    next = next + 1 === keys.length ? 0 : next + 1;
    return key;
  };
  return op === 'get' ? () => kv.get(nextKey()) : () => kv.set(nextKey(), VALUE);
}

function sideResult(side: OverheadSide, costs: readonly CallsCost[], calls: number): SideResult {
  const roundOpsPerSec = costs.map((cost) => (calls * 1000) / cost.wallMs);
  const roundCpuUsPerOp = costs.map((cost) => cost.cpuUs / calls);
  return {
    label: side.label,
    description: side.description,
    opsPerSec: median(roundOpsPerSec),
    cpuUsPerOp: median(roundCpuUsPerOp),
    roundOpsPerSec,
    roundCpuUsPerOp,
  };
}

function ratioOf(variant: readonly number[], baseline: readonly number[]): CostRatio {
  const rounds = variant.map((cost, round) => cost / (baseline[round] as number));
  return {
    median: median(rounds),
    p25: quantile(rounds, 0.25),
    p75: quantile(rounds, 0.75),
    rounds,
  };
}
