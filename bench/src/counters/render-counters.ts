import { formatRate } from '../format.js';
import type { CounterKind } from './counter-contender.js';
import { type CounterCellResult, type CounterRun, ratioOf } from './counter-results.js';

const SCENARIO_TITLES: Record<string, string> = {
  increment: '`increment(key, 1, { ttl })`',
  'fixed-window': 'fixedWindow limiter',
  'sliding-window': 'slidingWindow limiter',
  'token-bucket': 'tokenBucket limiter',
  'leaky-bucket': 'leakyBucket limiter',
  gcra: 'gcra limiter',
};

/** The reference each scenario's ratio is taken against. */
function referenceOf(cell: CounterCellResult): CounterKind {
  return cell.scenario === 'increment' ? 'raw' : 'rate-limiter-flexible';
}

function ratio(value: number | undefined): string {
  return value === undefined ? '–' : `${value.toFixed(2)}×`;
}

function rateOf(cell: CounterCellResult, kind: CounterKind): string {
  const result = cell.results.find((candidate) => candidate.kind === kind);
  return result === undefined ? '–' : `${formatRate(result.opsPerSec)}/s`;
}

/** The counters and rate limiting section of `docs/benchmarks.md`. */
export function renderCountersSection(run: CounterRun): string[] {
  const lines = [
    '## Counters and rate limiting',
    '',
    `Run of ${run.startedAt} (${run.mode} mode, ${Math.round(run.durationS / 60)} min, Node ${run.node}),`,
    `${run.rounds} alternating rounds per cell, the median reported. Limits are set so that no call is`,
    'denied: every contender stays on its admit path. "one key" is every worker on one hot key;',
    '"distinct" cycles through 10,000 keys. rate-limiter-flexible 11 runs its fixed window',
    '(`consume`) on the same server for every limiter row (it has no other strategy on these stores).',
    '`increment` is compared with the raw driver sending the same statement or script.',
    'Strongbox combines concurrent calls on one key; the `combine: false` column shows the same',
    'adapter without it.',
    '',
    '| backend | work | keys | c | Strongbox | combine: false | reference | Strongbox / reference | GCRA CAS loop | round trips per call (Strongbox / combine: false / reference) |',
    '| --- | --- | --- | --: | --: | --: | --: | --: | --: | --- |',
  ];
  for (const cell of run.cells) {
    const reference = referenceOf(cell);
    const trips = cell.roundTrips;
    const tripText =
      trips === undefined
        ? ''
        : [trips.strongbox, trips['strongbox-uncombined'], trips[reference]]
            .map((value) => (value === undefined ? '–' : value.toFixed(2)))
            .join(' / ');
    const casLoop = cell.results.some((result) => result.kind === 'cas-loop')
      ? `${rateOf(cell, 'cas-loop')} (${ratio(ratioOf(cell, 'cas-loop'))})`
      : '';
    lines.push(
      `| ${cell.backend} | ${SCENARIO_TITLES[cell.scenario]} | ${cell.keys === 'hot' ? 'one key' : 'distinct'} | ${cell.concurrency} | ` +
        `${rateOf(cell, 'strongbox')} | ${rateOf(cell, 'strongbox-uncombined')} | ` +
        `${rateOf(cell, reference)} (${reference === 'raw' ? 'raw driver' : 'RLF'}) | ${ratio(ratioOf(cell, reference))} | ${casLoop} | ${tripText} |`,
    );
  }
  lines.push('');
  return lines;
}
