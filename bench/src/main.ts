import { loadavg } from 'node:os';
import { relative } from 'node:path';
import { type AdapterExtras, type AdapterSetup, setUpAdapter } from './adapters.js';
import {
  type AdapterName,
  type BenchConfig,
  CONCURRENCIES,
  parseConfig,
  REWARM_MS,
} from './config.js';
import type { OpName } from './contender.js';
import { describeEnvironment } from './environment.js';
import { log } from './format.js';
import { SUSTAINED_RUN_COUNT } from './postgres-extras/sustained.js';
import { measureInProcesses } from './processes/measure-in-processes.js';
import { RunProgress } from './progress.js';
import { type CellResult, toRecords } from './records.js';
import { checkTargets } from './report/targets.js';
import { outputPlace, writeResults } from './report/write-results.js';
import { countRoundTrips } from './round-trips/count-round-trips.js';
import {
  type CellRounds,
  cellStep,
  plannedCellMs,
  runAdapterCells,
  summarizeCell,
} from './run-adapter.js';
import type { RunContext } from './run-context.js';
import { renderTable, renderTargets } from './terminal-table.js';

/** Contenders per cell assumed before an adapter's contenders exist (its server is not up yet). */
const ASSUMED_CONTENDERS = 3;

async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2));
  const startedAt = new Date();
  const [loadAtStart = 0] = loadavg();
  const environment = describeEnvironment();
  const progress = planRun(config);
  log(progress.describe());
  const cells: CellResult[] = [];
  const serverSettings: Partial<Record<AdapterName, Record<string, string>>> = {};
  const extras: Partial<Record<AdapterName, AdapterExtras>> = {};
  for (const adapter of config.adapters) {
    const setup = await setUpAdapter(adapter);
    try {
      serverSettings[adapter] = setup.serverSettings;
      cells.push(...(await measureAdapter(setup, config, progress)));
      if (config.extras && setup.extras) {
        progress.plan(extrasStep(adapter), plannedExtrasMs(config));
        extras[adapter] = await setup.extras(config);
        progress.finish(extrasStep(adapter));
      }
    } finally {
      await setup.stop();
    }
  }
  const records = toRecords(cells);
  const context: RunContext = {
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    mode: config.quick ? 'quick' : 'full',
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    method: methodOf(config),
    environment,
    serverSettings,
    contenders: contendersOf(cells),
    extras,
  };
  const files = await writeResults(records, context, outputPlace(config.save));
  process.stdout.write(
    `${renderTable(cells)}\n\n${renderTargets(checkTargets(records, context))}\n`,
  );
  log(
    `done in ${context.durationS} s; wrote ${files.map((file) => relative(process.cwd(), file)).join(', ')}`,
  );
  if (!config.save)
    log(
      'nothing tracked was changed; run with --save to update bench/results and docs/benchmarks.md',
    );
}

/**
 * Every cell of the run, before any server starts, for the progress line's total and time
 * estimate; each adapter's cells are re-planned with their real contender counts once its
 * contenders exist, and its round-trip count and extra measurements are added then.
 */
function planRun(config: BenchConfig): RunProgress {
  const progress = new RunProgress();
  for (const adapter of config.adapters) {
    for (const op of config.ops) {
      for (const concurrency of CONCURRENCIES) {
        progress.plan(
          cellStep(adapter, op, concurrency),
          plannedCellMs(config, adapter, op, concurrency, ASSUMED_CONTENDERS),
        );
      }
    }
  }
  return progress;
}

function extrasStep(adapter: AdapterName): string {
  return `${adapter} extras`;
}

/** The sustained runs and the two purge phases (seeding the expired rows is not counted). */
function plannedExtrasMs(config: BenchConfig): number {
  return SUSTAINED_RUN_COUNT * config.sustainedMs + 2 * config.purge.durationMs;
}

/** What each contender ran, per adapter, from the cells' results. */
function contendersOf(cells: readonly CellResult[]): RunContext['contenders'] {
  const described: NonNullable<RunContext['contenders']> = {};
  for (const cell of cells) {
    const byKind = described[cell.adapter] ?? {};
    for (const result of cell.results) byKind[result.kind] = result.description;
    described[cell.adapter] = byKind;
  }
  return described;
}

function methodOf(config: BenchConfig): RunContext['method'] {
  const warmupMs: RunContext['method']['warmupMs'] = {};
  const durationMs: RunContext['method']['durationMs'] = {};
  for (const adapter of config.adapters) {
    warmupMs[adapter] = { c1: config.warmupMs(adapter, 1), c64: config.warmupMs(adapter, 64) };
    durationMs[adapter] = {
      c1: config.durationMs(adapter, 'get-hit', 1),
      c64: config.durationMs(adapter, 'get-hit', 64),
    };
  }
  return {
    rounds:
      (config.quick
        ? inProcesses(config, 'postgres')
        : `${config.sittings('postgres', 'get-hit', 64)} (c1 cells and the c64 cells of get (hit), set and checkAndSet); ` +
          `${config.sittings('postgres', 'delete', 64)} for the other networked c64 cells`) +
      (config.adapters.includes('memory') ? `; memory: ${inProcesses(config, 'memory')}` : ''),
    ...(config.quick && { sittings: sittingsOf(config) }),
    // Cells take turns only where a process runs more than one sitting of them.
    interleaved: config.adapters.filter(
      (adapter) => config.interleaved(adapter) && config.sittings(adapter, 'get-hit', 1) > 1,
    ),
    warmupMs,
    durationMs,
    sustainedMs: config.sustainedMs,
    roundTripMs: config.roundTripMs,
  };
}

/** An adapter's sittings per cell and processes, as text for the method section. */
function inProcesses(config: BenchConfig, adapter: AdapterName): string {
  const sittings = config.sittings(adapter, 'get-hit', 64);
  const processes = config.processes(adapter);
  return `${sittings} in each of ${processes} processes (${sittings * processes} in all)`;
}

/** What a quick networked sitting holds, as text for the method section. */
function sittingsOf(config: BenchConfig): string {
  const rounds = (op: OpName, concurrency: number) =>
    config.roundsPerSitting('postgres', op, concurrency);
  const windowMs = (op: OpName, concurrency: number) =>
    config.durationMs('postgres', op, concurrency);
  return (
    `${rounds('get-hit', 1)} rounds at c1 and ${rounds('get-hit', 64)} at c64 of ` +
    `${windowMs('get-hit', 1)} ms windows, each after a re-warm-up (at least ${REWARM_MS} ms, ` +
    `three operations of every worker where longer) but a contender's first; cas-hot c64: ${rounds('cas-hot', 64)} round of ` +
    `${windowMs('cas-hot', 64)} ms`
  );
}

/** The adapter's cells, then (networked adapters) the round trips of every op and contender. */
async function measureAdapter(
  setup: AdapterSetup,
  config: BenchConfig,
  progress: RunProgress,
): Promise<CellResult[]> {
  const cells = (await measureCells(setup, config, progress)).map(summarizeCell);
  if (setup.counted === undefined) return cells;
  const roundTripsStep = `${setup.name} round trips`;
  const contenderCount = Math.max(...cells.map((cell) => cell.results.length));
  progress.plan(roundTripsStep, 2 * config.ops.length * contenderCount * config.roundTripMs);
  const counted = await setup.counted();
  try {
    log(`${setup.name}: counting round trips`);
    const roundTrips = await countRoundTrips(counted, config.ops, config.roundTripMs);
    progress.finish(roundTripsStep);
    return cells.map((cell) => ({ ...cell, roundTripsPerOp: roundTrips.get(cell.op) ?? {} }));
  } finally {
    await counted.close();
  }
}

/** The adapter's cells, in this process or (see `BenchConfig.processes`) in fresh ones. */
async function measureCells(
  setup: AdapterSetup,
  config: BenchConfig,
  progress: RunProgress,
): Promise<CellRounds[]> {
  const processes = config.processes(setup.name);
  if (processes > 1) {
    const cells = await measureInProcesses(
      setup.name,
      processes,
      process.argv.slice(2),
      (measured) => {
        // Each process measures its share of every cell; the real contender counts are known now.
        for (const { adapter, op, concurrency, contenders } of measured) {
          const step = cellStep(adapter, op, concurrency);
          const plannedMs = plannedCellMs(config, adapter, op, concurrency, contenders.length);
          progress.plan(step, plannedMs);
          progress.advance(step, plannedMs / processes);
        }
        progress.finish();
      },
    );
    progress.finish(...cells.map((cell) => cellStep(cell.adapter, cell.op, cell.concurrency)));
    return cells;
  }
  return runAdapterCells(setup, config, progress, 0);
}

await main();
