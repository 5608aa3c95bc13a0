import { AlternatingTurns, collectGarbage } from './alternating-turns.js';
import { runClosedLoop } from './closed-loop.js';
import type { Contender, ContenderKind, OpName } from './contender.js';
import { formatRate, log } from './format.js';
import { LatencyHistogram } from './histogram.js';
import { median, relativeSpread } from './stats.js';
import { type PreparedWorkload, prepareWorkload, type WorkloadCounters } from './workloads.js';

/** One adapter × op × concurrency, measured for each contender that has the op. */
export interface CellPlan {
  adapter: string;
  op: OpName;
  concurrency: number;
  /** Strongbox first, then its baselines. */
  contenders: readonly Contender[];
  /** Sittings planned: each warms every contender up and measures {@link roundsPerSitting} rounds. */
  sittings: number;
  /** Rounds of one sitting: every contender's measurement windows in it, alternating. */
  roundsPerSitting: number;
  /**
   * Which contender the first sitting starts with, each later one starting one further along:
   * processes measuring one sitting each start at different contenders.
   */
  rotation: number;
  /** Warm-up before a contender's first window of a sitting, right after a garbage collection. */
  warmupMs: number;
  /**
   * Least warm-up before each later window, as the contender's workers refill their pipelines
   * (longer for slow contenders, see `rewarmMs`).
   */
  rewarmMs: number;
  /** Length of one measurement window. */
  durationMs: number;
  /** Upper bound on the operations one sitting of `contender` can issue. */
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
 * A cell's sittings, for the caller to run one at a time: an adapter's cells take turns sitting
 * by sitting (see `runAdapterCells`). A sitting prepares each contender's workload, collects
 * garbage and warms it up right before its first window, then measures the sitting's rounds
 * back to back, the contenders in the turn's order, then in reverse, and so on: a round's windows
 * lie within a few hundred milliseconds of each other, so the machine's slow stretches (seconds
 * long on this machine kind) hit both sides of a ratio alike. Each window is one measurement.
 */
export function cellTurns(plan: CellPlan): AlternatingTurns<Measurement> {
  return new AlternatingTurns<Measurement>(
    plan.contenders.length,
    { turns: plan.sittings, warmupTurns: 0, rotation: plan.rotation },
    async ({ order, turn, turns }) => {
      const workloads = new Map<number, PreparedWorkload>();
      const measured = plan.contenders.map((): Measurement[] => []);
      const last = plan.roundsPerSitting - 1;
      for (let round = 0; round <= last; round++) {
        for (const index of round % 2 === 0 ? order : [...order].reverse()) {
          const contender = plan.contenders[index] as Contender;
          const windows = measured[index] as Measurement[];
          let workload = workloads.get(index);
          if (workload === undefined) {
            workload = await prepareWorkload(plan.op, contender, {
              concurrency: plan.concurrency,
              capacity: plan.capacity(contender),
            });
            workloads.set(index, workload);
            collectGarbage();
          }
          const previous = windows.at(-1);
          const result = await runClosedLoop(workload.step, {
            concurrency: plan.concurrency,
            warmupMs: previous === undefined ? plan.warmupMs : rewarmMs(plan, previous.rate),
            durationMs: plan.durationMs,
          });
          const window: Measurement = {
            rate: (result.ops * 1000) / result.elapsedMs,
            latency: result.latency,
            totalOps: result.totalOps,
            counters: {},
          };
          windows.push(window);
          if (round === last) {
            // Tidy up right after the contender's last window, as a one-round sitting always did:
            // its leftover keys and their array must not weigh on the contenders still to come.
            window.counters = (await workload.finish?.()) ?? {};
            workloads.delete(index);
            logSitting(plan, contender, windows, `${turn + 1}/${turns}`);
          }
        }
      }
      return measured;
    },
  );
}

/**
 * The re-warm-up before a later window of a contender measured at `rate` in its previous
 * window: at least `plan.rewarmMs`, and three operations' time of every worker (at most the first
 * warm-up), so that workers that all started together finish out of step before the window
 * counts them (a Postgres c64 write at 5k ops/s takes 12 ms).
 */
function rewarmMs(plan: CellPlan, rate: number): number {
  const outOfStep = rate > 0 ? (3 * plan.concurrency * 1000) / rate : plan.warmupMs;
  return Math.min(plan.warmupMs, Math.max(plan.rewarmMs, outOfStep));
}

/** One log line per contender and sitting: the median of its windows and their pooled p99. */
function logSitting(
  plan: CellPlan,
  contender: Contender,
  windows: readonly Measurement[],
  sitting: string,
): void {
  const latency = new LatencyHistogram();
  for (const window of windows) latency.merge(window.latency);
  log(
    `  ${plan.adapter} ${plan.op} c${plan.concurrency} sitting ${sitting} ${contender.kind}: ` +
      `${formatRate(median(windows.map((window) => window.rate)))} ops/s (median of ` +
      `${windows.length}), p99 ${latency.percentile(0.99).toFixed(3)} ms`,
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
