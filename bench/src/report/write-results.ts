import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { CounterRun } from '../counters/counter-results.js';
import { BENCH_DIR } from '../environment.js';
import type { OverheadRun } from '../overhead/overhead-results.js';
import type { BenchRecord } from '../records.js';
import type { RunContext } from '../run-context.js';
import { CHARTS_FOLDER, renderBenchmarksDoc } from './markdown.js';
import { renderTargetsDoc } from './targets-doc.js';

const REPO_DIR = join(BENCH_DIR, '..');
const ANALYSIS_FILE = join(BENCH_DIR, 'analysis.md');
const TARGET_HISTORY_FILE = join(BENCH_DIR, 'target-history.md');

/**
 * Where a run's outputs go. Saved (`--save`): the tracked files, bench/results/*.json,
 * docs/benchmarks.md with its charts in docs/benchmarks/, and bench/TARGETS.md. Otherwise all
 * of them side by side in .tmp/bench/ (git-ignored), so trying the bench changes nothing tracked.
 */
export interface OutputPlace {
  resultsDir: string;
  docFile: string;
  targetsFile: string;
}

export const SAVED: OutputPlace = {
  resultsDir: join(BENCH_DIR, 'results'),
  docFile: join(REPO_DIR, 'docs', 'benchmarks.md'),
  targetsFile: join(BENCH_DIR, 'TARGETS.md'),
};

export const SCRATCH: OutputPlace = {
  resultsDir: join(REPO_DIR, '.tmp', 'bench'),
  docFile: join(REPO_DIR, '.tmp', 'bench', 'benchmarks.md'),
  targetsFile: join(REPO_DIR, '.tmp', 'bench', 'TARGETS.md'),
};

/** The place for a run: saved into the repository only when asked to. */
export function outputPlace(save: boolean): OutputPlace {
  return save ? SAVED : SCRATCH;
}

/** Save a run's records and context, then regenerate the docs from them. Returns the files. */
export async function writeResults(
  records: readonly BenchRecord[],
  context: RunContext,
  place: OutputPlace,
): Promise<string[]> {
  await mkdir(place.resultsDir, { recursive: true });
  const recordsFile = join(place.resultsDir, 'latest.json');
  const contextFile = join(place.resultsDir, 'latest-context.json');
  await writeFile(recordsFile, `${JSON.stringify(records, null, 2)}\n`);
  await writeFile(contextFile, `${JSON.stringify(context, null, 2)}\n`);
  return [recordsFile, contextFile, ...(await writeDocs(place))];
}

/**
 * Regenerate the doc, its charts and the targets page from the results saved at `place`
 * (after editing bench/analysis.md or the generator). Returns the files written.
 */
export async function rewriteDocFromSavedResults(place: OutputPlace = SAVED): Promise<string[]> {
  return writeDocs(place);
}

async function writeDocs(place: OutputPlace): Promise<string[]> {
  const records = await readJson<BenchRecord[]>(join(place.resultsDir, 'latest.json'));
  const context = await readJson<RunContext>(join(place.resultsDir, 'latest-context.json'));
  if (records === undefined || context === undefined) {
    throw new Error(`no results in ${relative(REPO_DIR, place.resultsDir)}: run pnpm bench first`);
  }
  const counters = await readJson<CounterRun>(join(place.resultsDir, 'counters.json'));
  const overhead = await readJson<OverheadRun>(join(place.resultsDir, 'overhead.json'));
  const { markdown, charts } = renderBenchmarksDoc({
    records,
    context,
    analysis: await readFile(ANALYSIS_FILE, 'utf8'),
    ...(counters === undefined ? {} : { counters }),
    ...(overhead === undefined ? {} : { overhead }),
  });
  const chartsDir = join(dirname(place.docFile), CHARTS_FOLDER);
  await mkdir(chartsDir, { recursive: true });
  // Charts of adapters or backends a run no longer has must not linger beside the doc.
  const stale = (await readdir(chartsDir)).filter((file) => file.endsWith('.svg'));
  await Promise.all(stale.map((file) => rm(join(chartsDir, file))));
  await writeFile(place.docFile, markdown);
  await Promise.all(charts.map((chart) => writeFile(join(chartsDir, chart.file), chart.svg)));
  const history = await readFile(TARGET_HISTORY_FILE, 'utf8');
  await writeFile(place.targetsFile, renderTargetsDoc(records, context, history, overhead));
  return [place.docFile, ...charts.map((chart) => join(chartsDir, chart.file)), place.targetsFile];
}

async function readJson<T>(file: string): Promise<T | undefined> {
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  return exists ? (JSON.parse(await readFile(file, 'utf8')) as T) : undefined;
}
