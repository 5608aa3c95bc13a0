import type { AdapterSetup } from './adapters.js';
import { type AdapterName, type BenchConfig, CONCURRENCIES } from './config.js';
import type { Contender, OpName } from './contender.js';
import { log } from './format.js';
import { type ContenderRounds, measureCell, summarizeRounds } from './measure-cell.js';
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
  const perMeasurement =
    config.warmupMs(adapter, concurrency) + config.durationMs(adapter, concurrency);
  return (
    config.processes(adapter) *
    config.rounds(adapter, op, concurrency) *
    contenders *
    perMeasurement
  );
}

/**
 * Measure every configured op × concurrency of the adapter `setup` started, on contenders it
 * builds for the run and closes after. Each finished cell moves `progress` on, when given.
 */
export async function runAdapterCells(
  setup: AdapterSetup,
  config: BenchConfig,
  progress: RunProgress | undefined,
): Promise<CellRounds[]> {
  const contenders = await setup.contenders();
  try {
    return await measureCells(setup.name, contenders, config, progress, setup.beforeCell);
  } finally {
    await Promise.all(contenders.map((contender) => contender.close()));
  }
}

/**
 * Contenders lacking an op are left out of that cell. `delete` seeds keys from the fastest rate
 * each contender showed so far. `beforeCell` runs before each cell (Postgres forces a checkpoint
 * there).
 */
async function measureCells(
  adapter: AdapterName,
  contenders: readonly Contender[],
  config: BenchConfig,
  progress: RunProgress | undefined,
  beforeCell?: () => Promise<void>,
): Promise<CellRounds[]> {
  for (const op of config.ops) {
    for (const concurrency of CONCURRENCIES) {
      const taking = contenders.filter((contender) => contender.ops.has(op)).length;
      progress?.plan(
        cellStep(adapter, op, concurrency),
        plannedCellMs(config, adapter, op, concurrency, taking),
      );
    }
  }
  const settle = config.settle(adapter);
  const fastest = new Map<string, number>();
  const cells: CellRounds[] = [];
  for (const op of config.ops) {
    for (const concurrency of CONCURRENCIES) {
      const durationMs = config.durationMs(adapter, concurrency);
      const warmupMs = config.warmupMs(adapter, concurrency);
      const rateKey = (contender: Contender) => `${contender.kind}/${concurrency}`;
      log(`${adapter} ${op} c${concurrency}`);
      await beforeCell?.();
      const measured = await measureCell({
        adapter,
        op,
        concurrency,
        contenders: contenders.filter((contender) => contender.ops.has(op)),
        rounds: config.rounds(adapter, op, concurrency),
        ...(settle && { settle }),
        warmupMs,
        durationMs,
        capacity: (contender) => {
          const rate = fastest.get(rateKey(contender)) ?? 50_000;
          const wanted = Math.ceil((rate * DELETE_HEADROOM * (warmupMs + durationMs)) / 1000);
          return Math.min(config.maxDeleteKeys, wanted);
        },
      });
      for (const { kind, rounds } of measured) {
        const key = `${kind}/${concurrency}`;
        fastest.set(key, Math.max(fastest.get(key) ?? 0, ...rounds.map((round) => round.rate)));
      }
      cells.push({ adapter, op, concurrency, contenders: measured });
      progress?.finish(cellStep(adapter, op, concurrency));
    }
  }
  return cells;
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
