import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CounterRun } from '../counters/counter-results.js';
import { renderCountersSection } from '../counters/render-counters.js';
import { BENCH_DIR } from '../environment.js';
import type { BenchRecord } from '../records.js';
import type { RunContext } from '../run-context.js';
import { renderBenchmarksDoc } from './markdown.js';

const RESULTS_DIR = join(BENCH_DIR, 'results');
const RECORDS_FILE = join(RESULTS_DIR, 'latest.json');
const CONTEXT_FILE = join(RESULTS_DIR, 'latest-context.json');
const COUNTERS_FILE = join(RESULTS_DIR, 'counters.json');
const ANALYSIS_FILE = join(BENCH_DIR, 'analysis.md');
const DOC_FILE = join(BENCH_DIR, '..', 'docs', 'benchmarks.md');

/** Save a run's records and context, then regenerate `docs/benchmarks.md` from them. */
export async function writeResults(
  records: readonly BenchRecord[],
  context: RunContext,
): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(RECORDS_FILE, `${JSON.stringify(records, null, 2)}\n`);
  await writeFile(CONTEXT_FILE, `${JSON.stringify(context, null, 2)}\n`);
  await writeDoc(records, context);
}

/** Regenerate `docs/benchmarks.md` from the saved results (after editing bench/analysis.md). */
export async function rewriteDocFromSavedResults(): Promise<void> {
  const records = JSON.parse(await readFile(RECORDS_FILE, 'utf8')) as BenchRecord[];
  const context = JSON.parse(await readFile(CONTEXT_FILE, 'utf8')) as RunContext;
  await writeDoc(records, context);
}

async function writeDoc(records: readonly BenchRecord[], context: RunContext): Promise<void> {
  const analysis = await readFile(ANALYSIS_FILE, 'utf8');
  const counters = await savedCounters();
  const section = counters === undefined ? [] : renderCountersSection(counters);
  await writeFile(DOC_FILE, renderBenchmarksDoc(records, context, analysis, section));
}

/** The saved counters run (`pnpm bench:counters --save`), if there is one. */
async function savedCounters(): Promise<CounterRun | undefined> {
  const exists = await access(COUNTERS_FILE).then(
    () => true,
    () => false,
  );
  return exists ? (JSON.parse(await readFile(COUNTERS_FILE, 'utf8')) as CounterRun) : undefined;
}
