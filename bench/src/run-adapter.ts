import type { AdapterSetup } from './adapters.js';
import { type AdapterName, type BenchConfig, CONCURRENCIES } from './config.js';
import type { Contender, OpName } from './contender.js';
import { log } from './format.js';
import {
  byContender,
  type CellPlan,
  type ContenderRounds,
  cellRounds,
  summarizeRounds,
} from './measure-cell.js';
import type { RunProgress } from './progress.js';
import type { CellResult } from './records.js';

/** Seeded keys per `delete` measurement: the fastest rate seen so far, with this much headroom. */
const DELETE_HEADROOM = 1.3;

/** One cell's measurements, round by round, before they are summarized. */
export interface CellRounds {
  adapter: AdapterName;
  op: OpName;
  concurrency: number;
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
    config.rounds(adapter, op, concurrency) *
    roundMs(config, adapter, concurrency, contenders)
  );
}

/** How long one round of a cell measures (warm-ups included), `contenders` taking part. */
function roundMs(
  config: BenchConfig,
  adapter: AdapterName,
  concurrency: number,
  contenders: number,
): number {
  return (
    contenders * (config.warmupMs(adapter, concurrency) + config.durationMs(adapter, concurrency))
  );
}

/**
 * Measure every configured op × concurrency of the adapter `setup` started, on contenders it
 * builds for the run and closes after. Each round of cells moves `progress` on, when given.
 *
 * Where `config.interleaved` says so (networked adapters), the cells take turns: round 1 of
 * every cell, then round 2 of every cell still going, and so on. The machine's load changes
 * within seconds (which alternating contenders within a round handles) and also in slow and
 * fast stretches lasting minutes on this machine kind, longer than a cell's rounds in a row
 * take: a cell measured within one stretch reads that stretch's ratio. Interleaved, a cell's
 * rounds spread over the adapter's run, alongside the other cells still going. Otherwise each
 * cell runs its rounds back to back.
 */
export async function runAdapterCells(
  setup: AdapterSetup,
  config: BenchConfig,
  progress: RunProgress | undefined,
): Promise<CellRounds[]> {
  const contenders = await setup.contenders();
  try {
    return await measureCells(setup.name, contenders, config, progress, setup.beforeRound);
  } finally {
    await Promise.all(contenders.map((contender) => contender.close()));
  }
}

/**
 * The cells of {@link runAdapterCells}, in turns or one after another. Contenders lacking an op
 * are left out of that cell. `delete` seeds keys from the fastest rate each contender showed so
 * far. `beforeRound` runs before each round of a cell (Postgres forces a checkpoint there when
 * one is due).
 */
async function measureCells(
  adapter: AdapterName,
  contenders: readonly Contender[],
  config: BenchConfig,
  progress: RunProgress | undefined,
  beforeRound?: (ms: number) => Promise<void>,
): Promise<CellRounds[]> {
  const settle = config.settle(adapter);
  const fastest = new Map<string, number>();
  const rateKey = (kind: string, concurrency: number) => `${kind}/${concurrency}`;
  const cells = config.ops.flatMap((op) =>
    CONCURRENCIES.map((concurrency) => {
      const durationMs = config.durationMs(adapter, concurrency);
      const warmupMs = config.warmupMs(adapter, concurrency);
      const plan: CellPlan = {
        adapter,
        op,
        concurrency,
        contenders: contenders.filter((contender) => contender.ops.has(op)),
        rounds: config.rounds(adapter, op, concurrency),
        ...(settle && { settle }),
        warmupMs,
        durationMs,
        capacity: (contender) => {
          const rate = fastest.get(rateKey(contender.kind, concurrency)) ?? 50_000;
          const wanted = Math.ceil((rate * DELETE_HEADROOM * (warmupMs + durationMs)) / 1000);
          return Math.min(config.maxDeleteKeys, wanted);
        },
      };
      const step = cellStep(adapter, op, concurrency);
      const taking = plan.contenders.length;
      progress?.plan(step, plannedCellMs(config, adapter, op, concurrency, taking));
      return {
        plan,
        step,
        roundMs: roundMs(config, adapter, concurrency, taking),
        rounds: cellRounds(plan),
      };
    }),
  );
  const turns = config.interleaved(adapter) ? [cells] : cells.map((cell) => [cell]);
  for (const taking of turns) {
    for (let sweep = 1; taking.some((cell) => !cell.rounds.done); sweep++) {
      const going = taking.filter((cell) => !cell.rounds.done);
      if (going.length > 1) log(`${adapter}: round ${sweep}, ${going.length} cells going`);
      for (const cell of going) {
        await beforeRound?.(cell.roundMs);
        await cell.rounds.next();
        cell.plan.contenders.forEach((contender, index) => {
          const key = rateKey(contender.kind, cell.plan.concurrency);
          const rate = cell.rounds.results[index]?.at(-1)?.rate ?? 0;
          fastest.set(key, Math.max(fastest.get(key) ?? 0, rate));
        });
        progress?.advance(cell.step, cell.roundMs);
      }
      const finished = going.filter((cell) => cell.rounds.done).map((cell) => cell.step);
      // Back to back, a cell's progress is logged once, when it finishes.
      if (finished.length > 0 || going.length > 1) progress?.finish(...finished);
    }
  }
  return cells.map(({ plan, rounds }) => ({
    adapter,
    op: plan.op,
    concurrency: plan.concurrency,
    contenders: byContender(plan.contenders, rounds.results),
  }));
}

/** A cell's rounds summarized: each contender's median rate, pooled latency, summed counters. */
export function summarizeCell({ adapter, op, concurrency, contenders }: CellRounds): CellResult {
  return {
    adapter,
    op,
    concurrency,
    results: contenders.map((rounds) => summarizeRounds(op, rounds)),
  };
}
