import { readFile } from 'node:fs/promises';
import type { CounterRun } from './counters/counter-results.js';
import { ratioOf } from './counters/counter-results.js';
import type { BenchRecord } from './records.js';

/**
 * `node dist/compare-runs.js a.json b.json [--tolerance=0.1]`: put the ratio rows of two runs
 * side by side (two `latest.json` of `pnpm bench`, or two `counters.json` of
 * `pnpm bench:counters`) and flag every row whose ratio moved by more than the tolerance
 * (±10 % unless set). Exits with 1 when a row is flagged or missing from either run, so two
 * quick runs in a row can show that the quick mode repeats itself.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const files = args.filter((arg) => !arg.startsWith('--'));
  const toleranceFlag = args.find((arg) => arg.startsWith('--tolerance='));
  const tolerance = toleranceFlag === undefined ? 0.1 : Number(toleranceFlag.split('=')[1]);
  if (files.length !== 2 || !(tolerance > 0)) {
    throw new Error('usage: compare-runs <a.json> <b.json> [--tolerance=0.1]');
  }
  const [a, b] = await Promise.all(files.map(async (file) => ratioRows(await readJson(file))));
  const report = compareRatios(a as Map<string, RatioRow>, b as Map<string, RatioRow>, tolerance);
  process.stdout.write(`${report.lines.join('\n')}\n`);
  process.exitCode = report.flagged === 0 ? 0 : 1;
}

/** A ratio and, where the run recorded it, its relative standard error. */
interface RatioRow {
  ratio: number | null;
  error?: number | undefined;
}

/**
 * One line per ratio row (with each run's ± where recorded), then a summary; `flagged` counts
 * rows outside the tolerance.
 */
function compareRatios(
  a: ReadonlyMap<string, RatioRow>,
  b: ReadonlyMap<string, RatioRow>,
  tolerance: number,
): { lines: string[]; flagged: number } {
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const width = Math.max(3, ...keys.map((key) => key.length));
  const lines = [
    `${'row'.padEnd(width)}  ${'run a'.padStart(11)}  ${'run b'.padStart(11)}  ${'b ÷ a'.padStart(8)}`,
  ];
  const flaggedKeys = new Set<string>();
  let largest = 0;
  for (const key of keys) {
    const before = a.get(key)?.ratio ?? null;
    const after = b.get(key)?.ratio ?? null;
    const change = before !== null && after !== null && before > 0 ? after / before - 1 : null;
    const outside = change === null || Math.abs(change) > tolerance;
    if (outside) flaggedKeys.add(key);
    if (change !== null) largest = Math.max(largest, Math.abs(change));
    lines.push(
      `${key.padEnd(width)}  ${withError(a.get(key)).padStart(11)}  ${withError(b.get(key)).padStart(11)}  ` +
        `${(change === null ? 'n/a' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`).padStart(8)}` +
        (outside ? `  <-- beyond ±${Math.round(tolerance * 100)} %` : ''),
    );
  }
  lines.push(
    '',
    `${keys.length} ratio rows, ${flaggedKeys.size} beyond ±${Math.round(tolerance * 100)} % or missing; largest change ${(largest * 100).toFixed(1)} %`,
    `by concurrency: ${byConcurrency(keys, flaggedKeys)}`,
  );
  return { lines, flagged: flaggedKeys.size };
}

/** `c1 3 of 46 flagged, c64 0 of 46`: where the flagged rows are (c1 windows are the noisiest). */
function byConcurrency(keys: readonly string[], flagged: ReadonlySet<string>): string {
  const groups = new Map<string, { rows: number; flagged: number }>();
  for (const key of keys) {
    const concurrency = / (c\d+) ÷ /.exec(key)?.[1] ?? '?';
    const group = groups.get(concurrency) ?? { rows: 0, flagged: 0 };
    group.rows++;
    if (flagged.has(key)) group.flagged++;
    groups.set(concurrency, group);
  }
  return [...groups]
    .map(([concurrency, group]) => `${concurrency} ${group.flagged} of ${group.rows} flagged`)
    .join(', ');
}

/** Ratio rows by name: Strongbox ÷ contender per cell of either kind of results file. */
function ratioRows(results: BenchRecord[] | CounterRun): Map<string, RatioRow> {
  if (Array.isArray(results)) {
    return new Map(
      results.map((r) => [
        `${r.adapter} ${r.op} c${r.concurrency} ÷ ${r.contender}`,
        { ratio: r.ratio, error: r.ratioError },
      ]),
    );
  }
  const rows = new Map<string, RatioRow>();
  for (const cell of results.cells) {
    for (const result of cell.results) {
      if (result.kind === 'strongbox') continue;
      const name = `${cell.backend} ${cell.scenario} ${cell.keys} c${cell.concurrency} ÷ ${result.kind}`;
      rows.set(name, { ratio: ratioOf(cell, result.kind) ?? null });
    }
  }
  return rows;
}

/** `0.86×` or, with its standard error recorded, `0.86× ±6 %`. */
function withError(row: RatioRow | undefined): string {
  const ratio = row?.ratio ?? null;
  if (ratio === null) return 'n/a';
  const error = row?.error === undefined ? '' : ` ±${Math.round(row.error * 100)} %`;
  return `${ratio.toFixed(2)}×${error}`;
}

async function readJson(file: string): Promise<BenchRecord[] | CounterRun> {
  return JSON.parse(await readFile(file, 'utf8')) as BenchRecord[] | CounterRun;
}

await main();
