import type { AdapterSetup } from './adapters.js';
import { type AdapterName, type BenchConfig, CONCURRENCIES, REWARM_MS } from './config.js';
import type { Contender, OpName } from './contender.js';
import { log } from './format.js';
import {
  byContender,
  type CellPlan,
  type ContenderRounds,
  cellTurns,
  summarizeRounds,
} from './measure-cell.js';
import type { RunProgress } from './progress.js';
import type { CellResult } from './records.js';

/** Seeded keys per `delete` sitting: the fastest rate seen so far, with this much headroom. */
const DELETE_HEADROOM = 1.3;

/** One cell's measurements, round by round, before they are summarized. */
export interface CellRounds {
  adapter: AdapterName;
  op: OpName;
  concurrency: number;
  /** Rounds per sitting: each contender's rounds come in sittings of this many. */
  roundsPerSitting: number;
  /** Strongbox first, then its baselines. */
  contenders: ContenderRounds[];
}

/** The progress step of one cell. */
export function cellStep(adapter: AdapterName, op: string, concurrency: number): string {
  return `${adapter} ${op} c${concurrency}`;
}

/** How long a cell's measurements take (warm-ups included, every process), `contenders` taking part. */
export function plannedCellMs(
  config: BenchConfig,
  adapter: AdapterName,
  op: OpName,
  concurrency: number,
  contenders: number,
): number {
  return (
    config.processes(adapter) *
    config.sittings(adapter, op, concurrency) *
    contenders *
    sittingMs(config, adapter, op, concurrency)
  );
}

/** How long one contender's share of a sitting takes: its warm-ups and windows. */
function sittingMs(
  config: BenchConfig,
  adapter: AdapterName,
  op: OpName,
  concurrency: number,
): number {
  const rounds = config.roundsPerSitting(adapter, op, concurrency);
  return (
    config.warmupMs(adapter, concurrency) +
    (rounds - 1) * REWARM_MS +
    rounds * config.durationMs(adapter, op, concurrency)
  );
}

/**
 * Measure every configured op × concurrency of the adapter `setup` started, on contenders it
 * builds for the run and closes after. Each sitting of cells moves `progress` on, when given.
 * `rotation` picks the contender each cell's first sitting starts with (see `CellPlan.rotation`).
 *
 * Where `config.interleaved` says so (networked adapters), the cells take turns: sitting 1 of
 * every cell, then sitting 2 of every cell still going, and so on. The machine's load changes
 * within seconds (which alternating contenders within a sitting handles) and also in slow and
 * fast stretches lasting minutes on this machine kind, longer than a cell's sittings in a row
 * take: a cell measured within one stretch reads that stretch's ratio. Interleaved, a cell's
 * sittings spread over the adapter's run, alongside the other cells still going. Otherwise
 * each cell runs its sittings back to back.
 */
export async function runAdapterCells(
  setup: AdapterSetup,
  config: BenchConfig,
  progress: RunProgress | undefined,
  rotation: number,
): Promise<CellRounds[]> {
  const contenders = await setup.contenders();
  try {
    return await measureCells(setup, contenders, config, progress, rotation);
  } finally {
    await Promise.all(contenders.map((contender) => contender.close()));
  }
}

/**
 * The cells of {@link runAdapterCells}, in turns or one after another. Contenders lacking an op
 * are left out of that cell. `delete` seeds keys from the fastest rate each contender showed so
 * far. `beforeSitting` runs before each sitting of a cell (Postgres forces a checkpoint there when
 * one is due).
 */
async function measureCells(
  { name: adapter, beforeSitting }: AdapterSetup,
  contenders: readonly Contender[],
  config: BenchConfig,
  progress: RunProgress | undefined,
  rotation: number,
): Promise<CellRounds[]> {
  const fastest = new Map<string, number>();
  const rateKey = (kind: string, concurrency: number) => `${kind}/${concurrency}`;
  const cells = config.ops.flatMap((op) =>
    CONCURRENCIES.map((concurrency) => {
      const contenderMs = sittingMs(config, adapter, op, concurrency);
      const plan: CellPlan = {
        adapter,
        op,
        concurrency,
        contenders: contenders.filter((contender) => contender.ops.has(op)),
        sittings: config.sittings(adapter, op, concurrency),
        roundsPerSitting: config.roundsPerSitting(adapter, op, concurrency),
        rotation,
        warmupMs: config.warmupMs(adapter, concurrency),
        rewarmMs: REWARM_MS,
        durationMs: config.durationMs(adapter, op, concurrency),
        capacity: (contender) => {
          // No rate seen yet (a run of `delete` alone): as many keys as a measurement may seed.
          const rate = fastest.get(rateKey(contender.kind, concurrency));
          if (rate === undefined) return config.maxDeleteKeys;
          const wanted = Math.ceil((rate * DELETE_HEADROOM * contenderMs) / 1000);
          return Math.min(config.maxDeleteKeys, wanted);
        },
      };
      const step = cellStep(adapter, op, concurrency);
      const taking = plan.contenders.length;
      progress?.plan(step, plannedCellMs(config, adapter, op, concurrency, taking));
      return { plan, step, sittingMs: taking * contenderMs, turns: cellTurns(plan) };
    }),
  );
  const turns = config.interleaved(adapter) ? [cells] : cells.map((cell) => [cell]);
  for (const taking of turns) {
    for (let sweep = 1; taking.some((cell) => !cell.turns.done); sweep++) {
      const going = taking.filter((cell) => !cell.turns.done);
      if (going.length > 1) log(`${adapter}: sitting ${sweep}, ${going.length} cells going`);
      for (const cell of going) {
        await beforeSitting?.(cell.sittingMs);
        await cell.turns.next();
        cell.plan.contenders.forEach((contender, index) => {
          const key = rateKey(contender.kind, cell.plan.concurrency);
          const rates = (cell.turns.results[index] ?? []).map((window) => window.rate);
          fastest.set(key, Math.max(fastest.get(key) ?? 0, ...rates));
        });
        progress?.advance(cell.step, cell.sittingMs);
      }
      const finished = going.filter((cell) => cell.turns.done).map((cell) => cell.step);
      // Back to back, a cell's progress is logged once, when it finishes.
      if (finished.length > 0 || going.length > 1) progress?.finish(...finished);
    }
  }
  return cells.map(({ plan, turns }) => ({
    adapter,
    op: plan.op,
    concurrency: plan.concurrency,
    roundsPerSitting: plan.roundsPerSitting,
    contenders: byContender(plan.contenders, turns.results),
  }));
}

/** A cell's rounds summarized: each contender's median rate, pooled latency, summed counters. */
export function summarizeCell({
  adapter,
  op,
  concurrency,
  roundsPerSitting,
  contenders,
}: CellRounds): CellResult {
  return {
    adapter,
    op,
    concurrency,
    roundsPerSitting,
    results: contenders.map((rounds) => summarizeRounds(op, rounds)),
  };
}
