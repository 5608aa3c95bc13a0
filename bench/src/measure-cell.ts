import { AlternatingRounds, collectGarbage } from './alternating-rounds.js';
import { type LoopShape, runClosedLoop } from './closed-loop.js';
import type { RatioSettling } from './config.js';
import type { Contender, ContenderKind, OpName } from './contender.js';
import { formatRate, log } from './format.js';
import { LatencyHistogram } from './histogram.js';
import { pairedRatioError } from './records.js';
import { median, relativeSpread } from './stats.js';
import { prepareWorkload, type WorkloadCounters } from './workloads.js';

/** One adapter × op × concurrency, measured for each contender that has the op. */
export interface CellPlan {
  adapter: string;
  op: OpName;
  concurrency: number;
  /** Strongbox first, then its baselines. */
  contenders: readonly Contender[];
  rounds: number;
  /** Rounds added past `rounds` until every ratio is settled (quick networked cells). */
  settle?: RatioSettling;
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

/** One contender's measurement in one round. */
export interface Measurement {
  rate: number;
  latency: LatencyHistogram;
  /** Every operation finished, warm-up included (the denominator of `exhaustedShare`). */
  totalOps: number;
  counters: WorkloadCounters;
}

/** A contender's measurements in a cell, in round order: what a cell measured in another process pools. */
export interface ContenderRounds {
  kind: ContenderKind;
  description: string;
  rounds: Measurement[];
}

/**
 * A cell's alternating rounds (every contender once per round), for the caller to run one round
 * at a time: an adapter's cells take turns round by round (see `runAdapterCells`).
 */
export function cellRounds(plan: CellPlan): AlternatingRounds<Contender, Measurement> {
  const shape: LoopShape = {
    concurrency: plan.concurrency,
    warmupMs: plan.warmupMs,
    durationMs: plan.durationMs,
  };
  return new AlternatingRounds(
    plan.contenders,
    {
      rounds: plan.rounds,
      ...(plan.settle && {
        extend: { maxRounds: plan.settle.maxRounds, settled: ratiosSettled(plan.settle) },
      }),
    },
    async (contender, { round, rounds }): Promise<Measurement> => {
      const workload = await prepareWorkload(plan.op, contender, {
        concurrency: plan.concurrency,
        capacity: plan.capacity(contender),
      });
      collectGarbage();
      const result = await runClosedLoop(workload.step, shape);
      const rate = (result.ops * 1000) / result.elapsedMs;
      const counters = (await workload.finish?.()) ?? {};
      log(
        `  ${plan.adapter} ${plan.op} c${plan.concurrency} round ${round + 1}/${rounds} ` +
          `${contender.kind}: ${formatRate(rate)} ops/s, p99 ${result.latency.percentile(0.99).toFixed(3)} ms`,
      );
      return { rate, latency: result.latency, totalOps: result.totalOps, counters };
    },
  );
}

/** A cell's measurements by contender, `measured` in the order of `contenders` (Strongbox first). */
export function byContender(
  contenders: readonly Contender[],
  measured: readonly (readonly Measurement[])[],
): ContenderRounds[] {
  return contenders.map((contender, index) => ({
    kind: contender.kind,
    description: contender.description,
    rounds: [...(measured[index] ?? [])],
  }));
}

/**
 * Whether every contender's ratio to Strongbox (the first) is settled: the robust standard error
 * of the median of its per-round log ratios is at most `settling.standardError`.
 */
function ratiosSettled(
  settling: RatioSettling,
): (results: readonly (readonly Measurement[])[]) => boolean {
  return ([strongbox = [], ...others]) => {
    const rates = (rounds: readonly Measurement[]) => rounds.map((round) => round.rate);
    return others.every(
      (other) =>
        (pairedRatioError(rates(strongbox), rates(other)) ?? Number.POSITIVE_INFINITY) <=
        settling.standardError,
    );
  };
}

/** A contender's rounds as one result: median rate, pooled latency, summed counters. */
export function summarizeRounds(
  op: OpName,
  { kind, description, rounds }: ContenderRounds,
): ContenderResult {
  const rates = rounds.map((measurement) => measurement.rate);
  const latency = new LatencyHistogram();
  for (const measurement of rounds) latency.merge(measurement.latency);
  const total = (count: (counters: WorkloadCounters) => number | undefined) =>
    rounds.reduce((sum, measurement) => sum + (count(measurement.counters) ?? 0), 0);
  const totalOps = rounds.reduce((sum, measurement) => sum + measurement.totalOps, 0);
  return {
    kind,
    description,
    roundOpsPerSec: rates,
    opsPerSec: median(rates),
    spread: relativeSpread(rates),
    p50Ms: latency.percentile(0.5),
    p99Ms: latency.percentile(0.99),
    ...(op === 'cas-hot'
      ? {
          attemptsPerSuccess: total((c) => c.attempts) / total((c) => c.successes),
          lostUpdates: total((c) => c.lostUpdates),
        }
      : {}),
    ...(op === 'delete' ? { exhaustedShare: total((c) => c.exhausted) / totalOps } : {}),
  };
}
