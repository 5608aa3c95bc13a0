import { formatRate } from '../format.js';
import type { CostRatio, OverheadCellResult } from './measure-overhead.js';
import type { OverheadSubject } from './overhead-comparison.js';
import type { OverheadRun } from './overhead-results.js';

/** `+3.1 %` from a cost ratio of 1.031; `×14.7` once the cost is twice or more. */
function percent(ratio: number): string {
  if (ratio >= 2) return `×${ratio.toFixed(1)}`;
  const value = (ratio - 1) * 100;
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} %`;
}

/** `+3.1 % (+1.0 … +5.2 %)`: the median per-round ratio and the quartiles around it. */
function ratioCell(ratio: CostRatio): string {
  return `${percent(ratio.median)} (${percent(ratio.p25).replace(' %', '')} … ${percent(ratio.p75)})`;
}

function runLine(run: OverheadRun): string {
  return (
    `Run of ${run.startedAt} (${run.mode} mode, ${Math.round(run.durationS / 60)} min, Node ${run.node}, ` +
    `load average ${run.loadAverage.start.toFixed(2)} at the start and ${run.loadAverage.end.toFixed(2)} at the end).`
  );
}

function table(cells: readonly OverheadCellResult[]): string[] {
  const [first] = cells;
  if (first === undefined) return [];
  const { label: baseline } = first.baseline;
  const { label: variant } = first.variant;
  return [
    `| backend | op | c | ${baseline} ops/s | ${variant} ops/s | wall time per call | ${baseline} CPU per call | ${variant} CPU per call | CPU time per call |`,
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: |',
    ...cells.map(
      (cell) =>
        `| ${cell.backend} | ${cell.op} | ${cell.concurrency} | ${formatRate(cell.baseline.opsPerSec)} | ` +
        `${formatRate(cell.variant.opsPerSec)} | ${ratioCell(cell.wallRatio)} | ` +
        `${cell.baseline.cpuUsPerOp.toFixed(2)} µs | ${cell.variant.cpuUsPerOp.toFixed(2)} µs | ${ratioCell(cell.cpuRatio)} |`,
    ),
    '',
  ];
}

function gets(count: number): string {
  return count.toLocaleString('en-US');
}

function cellsOf(run: OverheadRun, subject: OverheadSubject): OverheadCellResult[] {
  return run.cells.filter((cell) => cell.subject === subject);
}

/** The two sections of `docs/benchmarks.md` from an overhead run: failover, then instrumentation. */
export function renderOverheadSections(run: OverheadRun): string[] {
  return [...failoverSection(run), ...instrumentationSection(run)];
}

const HOW = [
  'the median of the per-round ratios (each round measures both sides back to back), with the',
  'quartiles of those ratios in brackets. Wall-clock time moves with whatever else the machine',
  'runs; CPU time is this process only.',
];

function failoverSection(run: OverheadRun): string[] {
  const cells = cellsOf(run, 'failover');
  if (cells.length === 0) return [];
  return [
    '## Failover overhead',
    '',
    'What `createFailoverBackend({ primary, fallback })` adds to every call while its breaker is',
    'closed: the primary called directly against the same backend object behind failover (so both',
    'sides read and write the same data; the memory fallback never serves). Extra cost per call,',
    'failover over direct:',
    ...HOW,
    "For Redis the server's CPU is outside the CPU column.",
    '',
    runLine(run),
    `Each round runs both sides for a fixed number of calls (${callsText(run, cells)}), the order swapped`,
    `every round; ${run.rounds} rounds after one unrecorded warm-up round.`,
    '',
    ...table(cells),
  ];
}

/** Calls per turn on each backend the cells ran on. */
function callsText(run: OverheadRun, cells: readonly OverheadCellResult[]): string {
  return Object.entries(run.calls)
    .filter(([backend]) => cells.some((cell) => cell.backend === backend))
    .map(([backend, calls]) => `${gets(calls)} on ${backend}`)
    .join(', ');
}

function instrumentationSection(run: OverheadRun): string[] {
  const cells = cellsOf(run, 'instrumentation');
  const counts = run.instructions;
  if (cells.length === 0 && counts === undefined) return [];
  const lines = ['## Instrumentation overhead', ''];
  lines.push(
    'Core publishes every operation on `diagnostics_channel` tracing channels (see',
    '[observability](observability.md)). Without a subscriber each call pays one check of',
    "its operation's channel; the context object is built only when someone listens.",
    '',
  );
  if (counts === undefined) {
    lines.push(
      `Instructions per call were not counted in this run (${run.instructionsSkipped ?? 'no instrumentation group'}).`,
      '',
    );
  } else {
    const { stripped, stock, subscribed } = counts.perGet;
    const plain = counts.plans.stock;
    const traced = counts.plans.subscribed;
    lines.push(
      '**Without a subscriber**, counted in CPU instructions with `valgrind --tool=callgrind`',
      `(${counts.valgrind}): a memory \`get\` (hit) at 64 in flight, runs of ${gets(plain.small)} and`,
      `${gets(plain.large)} gets after ${gets(plain.warmup)} warm-up gets, the difference divided by the`,
      'extra gets (so start-up and JIT warm-up cancel; with the subscriber, which costs far more per',
      `call, ${gets(traced.small)} and ${gets(traced.large)} after ${gets(traced.warmup)}). "Without instrumentation" is`,
      'a copy of the same build of core with its check folded to `false`',
      '(bench/src/overhead/core-copies.ts): the closest stand-in for a core',
      `built without it. Node runs with \`${counts.nodeFlags.join(' ')}\`: V8's background compiler`,
      'and GC threads otherwise make the count depend on timing (two runs of one build differed by',
      "8.6 % per get); so run, two runs agreed within 0.2 %, and the count ignores the machine's load.",
      '',
      '| memory `get`, c64 | instructions per get | vs without instrumentation |',
      '| --- | --: | --: |',
      `| core without instrumentation | ${stripped.toFixed(0)} | |`,
      `| core as built, no subscriber | ${stock.toFixed(0)} | ${percent(stock / stripped)} |`,
      `| @strongbox/opentelemetry listening (OpenTelemetry SDK) | ${subscribed.toFixed(0)} | ×${(subscribed / stripped).toFixed(1)} |`,
      '',
    );
  }
  if (cells.length > 0) {
    const [first] = cells;
    lines.push(
      '**With a subscriber**, in time: a memory backend with nothing subscribed against the same',
      `backend while ${first?.variant.description.replace(/^the same backend while (\S+)/, '`$1`')}, subscribed`,
      'only during its own turns. On memory a span and its metrics cost many times the call itself;',
      "the CPU columns give that cost per call, to weigh against a networked backend's round trip.",
      'Extra cost per call:',
      ...HOW,
      '',
      runLine(run),
      '',
      ...table(cells),
    );
  }
  return lines;
}
