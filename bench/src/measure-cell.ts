import { type LoopShape, runClosedLoop } from './closed-loop.js';
import type { Contender, ContenderKind, OpName } from './contender.js';
import { formatRate, log } from './format.js';
import { LatencyHistogram } from './histogram.js';
import { median, relativeSpread } from './stats.js';
import { prepareWorkload } from './workloads.js';

/** One adapter × op × concurrency, measured for each contender that has the op. */
export interface CellPlan {
  adapter: string;
  op: OpName;
  concurrency: number;
  /** Strongbox first, then its baselines. */
  contenders: readonly Contender[];
  rounds: number;
  warmupMs: number;
  durationMs: number;
  /** Upper bound on the operations one measurement of `contender` can issue. */
  capacity(contender: Contender): number;
}

/** What one contender achieved in a cell. */
export interface ContenderResult {
  kind: ContenderKind;
  description: string;
  /** Sustained ops/s of each round, in round order. */
  roundOpsPerSec: number[];
  /** Median over the rounds. */
  opsPerSec: number;
  /** Half the range of the round rates, relative to the median. */
  spread: number;
  p50Ms: number;
  p99Ms: number;
  /** `cas-hot`: CAS calls per successful increment. */
  attemptsPerSuccess?: number;
  /** `cas-hot`: increments reported successful but missing from the counter. */
  lostUpdates?: number;
  /** `delete`: share of deletes that ran out of seeded keys and hit an absent key. */
  exhaustedShare?: number;
}

/**
 * Measure a cell: the contenders take turns, round after round, in an order rotated every
 * round, so drift in the machine's load spreads over all of them instead of favouring one.
 */
export async function measureCell(plan: CellPlan): Promise<ContenderResult[]> {
  const shape: LoopShape = {
    concurrency: plan.concurrency,
    warmupMs: plan.warmupMs,
    durationMs: plan.durationMs,
  };
  const tallies = plan.contenders.map(() => ({
    rates: [] as number[],
    latency: new LatencyHistogram(),
    attempts: 0,
    successes: 0,
    lostUpdates: 0,
    exhausted: 0,
    ops: 0,
  }));
  for (let round = 0; round < plan.rounds; round++) {
    for (let turn = 0; turn < plan.contenders.length; turn++) {
      const index = (turn + round) % plan.contenders.length;
      const contender = plan.contenders[index] as Contender;
      const tally = tallies[index] as (typeof tallies)[number];
      const workload = await prepareWorkload(plan.op, contender, {
        concurrency: plan.concurrency,
        capacity: plan.capacity(contender),
      });
      collectGarbage();
      const result = await runClosedLoop(workload.step, shape);
      const rate = (result.ops * 1000) / result.elapsedMs;
      tally.rates.push(rate);
      tally.latency.merge(result.latency);
      tally.ops += result.totalOps;
      const counters = (await workload.finish?.()) ?? {};
      tally.attempts += counters.attempts ?? 0;
      tally.successes += counters.successes ?? 0;
      tally.lostUpdates += counters.lostUpdates ?? 0;
      tally.exhausted += counters.exhausted ?? 0;
      log(
        `  ${plan.adapter} ${plan.op} c${plan.concurrency} round ${round + 1}/${plan.rounds} ` +
          `${contender.kind}: ${formatRate(rate)} ops/s, p99 ${result.latency.percentile(0.99).toFixed(3)} ms`,
      );
    }
  }
  return plan.contenders.map((contender, index) => {
    const tally = tallies[index] as (typeof tallies)[number];
    return {
      kind: contender.kind,
      description: contender.description,
      roundOpsPerSec: tally.rates,
      opsPerSec: median(tally.rates),
      spread: relativeSpread(tally.rates),
      p50Ms: tally.latency.percentile(0.5),
      p99Ms: tally.latency.percentile(0.99),
      ...(plan.op === 'cas-hot'
        ? { attemptsPerSuccess: tally.attempts / tally.successes, lostUpdates: tally.lostUpdates }
        : {}),
      ...(plan.op === 'delete' ? { exhaustedShare: tally.exhausted / tally.ops } : {}),
    };
  });
}

/** Start each measurement from a clean heap, so one contender's garbage is not another's pause. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc (pnpm bench does)');
  gc();
}
