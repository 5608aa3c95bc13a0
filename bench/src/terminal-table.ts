import { formatRate } from './format.js';
import { type CellResult, pairedRatio, pairedRatioError } from './records.js';
import type { TargetCheck } from './report/targets.js';

/** The results as a fixed-width table: one line per cell and contender. */
export function renderTable(cells: readonly CellResult[]): string {
  const header = [
    'adapter',
    'op',
    'c',
    'contender',
    'ops/s',
    '±',
    'p50 ms',
    'p99 ms',
    'RT/op',
    'sb ratio',
  ];
  const rows: string[][] = [];
  for (const cell of cells) {
    const strongbox = cell.results[0];
    for (const result of cell.results) {
      const ratio =
        result === strongbox || strongbox === undefined
          ? ''
          : ratioText(strongbox.roundOpsPerSec, result.roundOpsPerSec, cell.roundsPerSitting);
      const roundTrips = cell.roundTripsPerOp?.[result.kind];
      rows.push([
        cell.adapter,
        cell.op,
        String(cell.concurrency),
        result.kind,
        formatRate(result.opsPerSec),
        `${(result.spread * 100).toFixed(0)}%`,
        fixed(result.p50Ms),
        fixed(result.p99Ms),
        roundTrips === undefined ? '' : roundTrips.toFixed(2),
        ratio,
      ]);
    }
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((text, column) =>
        column < 4 ? text.padEnd(widths[column] ?? 0) : text.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

/** `0.86x ±3%` (the ± from three sittings on); empty when the contender finished nothing. */
function ratioText(
  strongbox: readonly number[],
  other: readonly number[],
  roundsPerSitting: number,
): string {
  const paired = pairedRatio(strongbox, other);
  if (paired === null) return '';
  const error = pairedRatioError(strongbox, other, roundsPerSitting);
  return `${paired.toFixed(2)}x${error === undefined ? '' : ` ±${(error * 100).toFixed(0)}%`}`;
}

function fixed(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(3) : '-';
}

/** The targets, one line each. */
export function renderTargets(checks: readonly TargetCheck[]): string {
  const mark = { met: 'MET   ', missed: 'MISSED', 'not measured': '  -   ' };
  return checks
    .map((check) => `${mark[check.status]}  ${check.target}: ${check.detail}`)
    .join('\n');
}
