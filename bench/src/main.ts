import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AdapterExtras, type AdapterSetup, setUpAdapter } from './adapters.js';
import { type AdapterName, type BenchConfig, parseConfig } from './config.js';
import { describeEnvironment } from './environment.js';
import { log } from './format.js';
import { type CellResult, toRecords } from './records.js';
import { countRoundTrips } from './round-trips/count-round-trips.js';
import { runAdapterCells } from './run-adapter.js';
import { renderTable } from './terminal-table.js';

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2));
  const startedAt = new Date();
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
  const resultsDir = join(BENCH_DIR, 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(records, null, 2)}\n`);
  await writeFile(
    join(resultsDir, 'latest-context.json'),
    `${JSON.stringify({ startedAt, mode: config.quick ? 'quick' : 'full', environment, serverSettings, extras }, null, 2)}\n`,
  );
  process.stdout.write(`${renderTable(cells)}\n`);
  log(`done in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
}

/** The adapter's cells, then (networked adapters) the round trips of every op and contender. */
async function measureAdapter(setup: AdapterSetup, config: BenchConfig): Promise<CellResult[]> {
  const contenders = await setup.contenders();
  let cells: CellResult[];
  try {
    cells = await runAdapterCells(setup.name, contenders, config);
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
