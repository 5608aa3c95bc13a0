import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFlag, parseFlags, quickWarmupMs } from '../config.js';
import { BENCH_DIR } from '../environment.js';
import { log } from '../format.js';
import { RunProgress } from '../progress.js';
import { rewriteDocFromSavedResults } from '../report/write-results.js';
import {
  COUNTER_BACKENDS,
  type CounterBackendName,
  startCounterServer,
} from './counter-backends.js';
import { COUNTER_SCENARIOS, type CounterScenario, type KeyMode } from './counter-contender.js';
import type { CounterCellResult, CounterRun } from './counter-results.js';
import { measureCounterCell } from './measure-counters.js';
import { COUNTED_SCENARIOS, countCounterRoundTrips } from './round-trips.js';

/**
 * `pnpm bench:counters [--quick] [--only=memory,redis,postgres] [--scenarios=a,b] [--save]`:
 * increments and every rate-limiting strategy against the raw driver and rate-limiter-flexible,
 * on one hot key and on distinct keys. Results go to `.tmp/bench/` unless `--save` writes them
 * to `bench/results/counters.json` and regenerates `docs/benchmarks.md`.
 */
async function main(): Promise<void> {
  const flags = parseFlags(
    process.argv.slice(2),
    ['quick', 'save', 'only', 'scenarios'],
    `--quick, --save, --only=${COUNTER_BACKENDS.join(',')}, --scenarios=${COUNTER_SCENARIOS.join(',')}`,
  );
  const quick = flags.get('quick') === 'true';
  const save = flags.get('save') === 'true';
  const backends = listFlag(flags.get('only'), COUNTER_BACKENDS, 'backend');
  const scenarios = listFlag(flags.get('scenarios'), COUNTER_SCENARIOS, 'scenario');
  const method = methodOf(quick);
  const startedAt = new Date();
  const progress = planCounterRun(backends, scenarios, method);
  const cells: CounterCellResult[] = [];
  for (const backend of backends) {
    const server = await startCounterServer(backend);
    try {
      cells.push(...(await measureBackend(backend, server, scenarios, method, progress)));
    } finally {
      await server.stop();
    }
  }
  const run: CounterRun = {
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    mode: quick ? 'quick' : 'full',
    rounds: method.rounds,
    durationMs: method.durationMs,
    node: process.versions.node,
    cells,
  };
  const dir = save ? join(BENCH_DIR, 'results') : join(BENCH_DIR, '..', '.tmp', 'bench');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'counters.json'), `${JSON.stringify(run, null, 2)}\n`);
  if (save) await rewriteDocFromSavedResults();
  log(
    `done in ${run.durationS} s; wrote ${join(dir, 'counters.json')}${save ? ' and docs/benchmarks.md' : ''}`,
  );
}

/** How long and how often each cell is measured. */
interface CounterMethod {
  rounds: number;
  durationMs: { memory: number; networked: number };
  warmupMs(backend: CounterBackendName, concurrency: number): number;
  lengthMs(backend: CounterBackendName): number;
}

/**
 * Full: 3 rounds of 1 s (memory) or 1.5 s windows after a quarter of that as warm-up. Quick: 5
 * rounds of 200 or 300 ms windows, warmed up past the slow stretch after each measurement's
 * garbage collection as in `pnpm bench --quick` (see config.ts).
 */
function methodOf(quick: boolean): CounterMethod {
  const durationMs = { memory: quick ? 200 : 1000, networked: quick ? 300 : 1500 };
  const lengthMs = (backend: CounterBackendName) =>
    backend === 'memory' ? durationMs.memory : durationMs.networked;
  return {
    rounds: quick ? 5 : 3,
    durationMs,
    lengthMs,
    warmupMs: (backend, concurrency) =>
      quick ? quickWarmupMs(backend !== 'memory', concurrency) : Math.round(lengthMs(backend) / 4),
  };
}

/** Contenders per cell assumed for the time estimate (Strongbox, combine: false, a reference). */
const ASSUMED_CONTENDERS = 3;

/** Concurrencies of a scenario: c1 only where it says something new, the primitives the limiters are built on. */
function concurrenciesOf(scenario: CounterScenario): number[] {
  return COUNTED_SCENARIOS.includes(scenario) ? [1, 64] : [64];
}

function cellStep(backend: string, scenario: string, keys: KeyMode, concurrency: number): string {
  return `${backend} ${scenario} ${keys} c${concurrency}`;
}

/** Every cell of the run, for the progress line's total and time left. */
function planCounterRun(
  backends: readonly CounterBackendName[],
  scenarios: readonly CounterScenario[],
  method: CounterMethod,
): RunProgress {
  const progress = new RunProgress();
  for (const backend of backends) {
    for (const scenario of scenarios) {
      for (const keys of ['hot', 'distinct'] as KeyMode[]) {
        for (const concurrency of concurrenciesOf(scenario)) {
          const plannedMs =
            method.rounds *
            ASSUMED_CONTENDERS *
            (method.lengthMs(backend) + method.warmupMs(backend, concurrency));
          progress.plan(cellStep(backend, scenario, keys, concurrency), plannedMs);
        }
      }
    }
  }
  return progress;
}

async function measureBackend(
  backend: CounterBackendName,
  server: Awaited<ReturnType<typeof startCounterServer>>,
  scenarios: readonly CounterScenario[],
  method: CounterMethod,
  progress: RunProgress,
): Promise<CounterCellResult[]> {
  const cells: CounterCellResult[] = [];
  const setup = await server.connect();
  try {
    for (const scenario of scenarios) {
      const contenders = setup.contenders(scenario);
      for (const keys of ['hot', 'distinct'] as KeyMode[]) {
        for (const concurrency of concurrenciesOf(scenario)) {
          const results = await measureCounterCell({
            backend,
            scenario,
            keys,
            concurrency,
            contenders,
            rounds: method.rounds,
            warmupMs: method.warmupMs(backend, concurrency),
            durationMs: method.lengthMs(backend),
          });
          cells.push({ backend, scenario, keys, concurrency, results });
          progress.finish(cellStep(backend, scenario, keys, concurrency));
        }
      }
    }
  } finally {
    await setup.close();
  }
  if (backend !== 'memory') await countRoundTrips(server, scenarios, cells);
  return cells;
}

/** Requests per call at c64, through a counting proxy, added to the c64 cells. */
async function countRoundTrips(
  server: Awaited<ReturnType<typeof startCounterServer>>,
  scenarios: readonly CounterScenario[],
  cells: CounterCellResult[],
): Promise<void> {
  const counted = await server.connect({ counted: true });
  try {
    for (const scenario of scenarios.filter((name) => COUNTED_SCENARIOS.includes(name))) {
      for (const keys of ['hot', 'distinct'] as KeyMode[]) {
        const trips = await countCounterRoundTrips(
          counted.contenders(scenario),
          () => counted.requests(),
          keys,
          500,
        );
        log(`  round trips ${scenario} ${keys}: ${JSON.stringify(trips)}`);
        const cell = cells.find(
          (candidate) =>
            candidate.scenario === scenario &&
            candidate.keys === keys &&
            candidate.concurrency === 64,
        );
        if (cell !== undefined) cell.roundTrips = trips;
      }
    }
  } finally {
    await counted.close();
  }
}

await main();
