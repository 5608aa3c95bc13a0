import { loadavg } from 'node:os';
import { type AdapterExtras, type AdapterSetup, setUpAdapter } from './adapters.js';
import { type AdapterName, type BenchConfig, parseConfig } from './config.js';
import { describeEnvironment } from './environment.js';
import { log } from './format.js';
import { type CellResult, toRecords } from './records.js';
import { checkTargets } from './report/targets.js';
import { writeResults } from './report/write-results.js';
import { countRoundTrips } from './round-trips/count-round-trips.js';
import { runAdapterCells } from './run-adapter.js';
import type { RunContext } from './run-context.js';
import { renderTable, renderTargets } from './terminal-table.js';

async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2));
  const startedAt = new Date();
  const [loadAtStart = 0] = loadavg();
  const environment = describeEnvironment();
  const cells: CellResult[] = [];
  const serverSettings: Partial<Record<AdapterName, Record<string, string>>> = {};
  const extras: Partial<Record<AdapterName, AdapterExtras>> = {};
  for (const adapter of config.adapters) {
    const setup = await setUpAdapter(adapter);
    try {
      serverSettings[adapter] = setup.serverSettings;
      cells.push(...(await measureAdapter(setup, config)));
      if (config.extras && setup.extras) extras[adapter] = await setup.extras(config);
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
    extras,
  };
  await writeResults(records, context);
  process.stdout.write(
    `${renderTable(cells)}\n\n${renderTargets(checkTargets(records, context))}\n`,
  );
  log(`done in ${context.durationS} s; wrote bench/results/latest.json and docs/benchmarks.md`);
}

function methodOf(config: BenchConfig): RunContext['method'] {
  const warmupMs: RunContext['method']['warmupMs'] = {};
  const durationMs: RunContext['method']['durationMs'] = {};
  for (const adapter of config.adapters) {
    warmupMs[adapter] = config.warmupMs(adapter, 64);
    durationMs[adapter] = {
      c1: config.durationMs(adapter, 1),
      c64: config.durationMs(adapter, 64),
    };
  }
  return {
    rounds: config.quick
      ? String(config.rounds('postgres', 'get-hit', 64))
      : `${config.rounds('postgres', 'get-hit', 64)} (c1 cells, memory, and the c64 cells of get (hit), set and checkAndSet); ` +
        `${config.rounds('postgres', 'delete', 64)} for the other networked c64 cells`,
    warmupMs,
    durationMs,
    sustainedMs: config.sustainedMs,
    roundTripMs: config.roundTripMs,
  };
}

/** The adapter's cells, then (networked adapters) the round trips of every op and contender. */
async function measureAdapter(setup: AdapterSetup, config: BenchConfig): Promise<CellResult[]> {
  const contenders = await setup.contenders();
  let cells: CellResult[];
  try {
    cells = await runAdapterCells(setup.name, contenders, config, setup.beforeCell);
  } finally {
    await Promise.all(contenders.map((contender) => contender.close()));
  }
  if (setup.counted === undefined) return cells;
  const counted = await setup.counted();
  try {
    log(`${setup.name}: counting round trips`);
    const roundTrips = await countRoundTrips(counted, config.ops, config.roundTripMs);
    return cells.map((cell) => ({ ...cell, roundTripsPerOp: roundTrips.get(cell.op) ?? {} }));
  } finally {
    await counted.close();
  }
}

await main();
