import type { AdapterName } from '../config.js';
import { CONCURRENCIES } from '../config.js';
import { type ContenderKind, OP_NAMES, type OpName } from '../contender.js';
import type { CounterKind } from '../counters/counter-contender.js';
import type { CounterCellResult, CounterRun } from '../counters/counter-results.js';
import { formatMs, formatRate } from '../format.js';
import type { BenchRecord } from '../records.js';
import { CONTENDER_ORDER, CONTENDER_STYLE, OP_TITLES } from './labels.js';
import { type ChartPanel, type ChartSeries, renderGroupedBarChart } from './svg-chart.js';

/** One generated chart: its file name (in the charts folder beside the doc) and what it shows. */
export interface Chart {
  file: string;
  alt: string;
  svg: string;
}

/** Throughput and p99 latency of one adapter, Strongbox against each contender, c1 and c64. */
export function adapterCharts(adapter: AdapterName, records: readonly BenchRecord[]): Chart[] {
  const rows = records.filter((r) => r.adapter === adapter);
  if (rows.length === 0) return [];
  const contenders = CONTENDER_ORDER.filter((kind) => rows.some((r) => r.contender === kind));
  const series: ChartSeries[] = [
    CONTENDER_STYLE.strongbox,
    ...contenders.map((kind) => CONTENDER_STYLE[kind]),
  ];
  const value = (op: OpName, concurrency: number, kind: ContenderKind, pick: Pick) => {
    const cell = rows.filter((r) => r.op === op && r.concurrency === concurrency);
    if (kind === 'strongbox') return cell[0] === undefined ? undefined : pick(cell[0], true);
    const record = cell.find((r) => r.contender === kind);
    return record === undefined ? undefined : pick(record, false);
  };
  const kinds: ContenderKind[] = ['strongbox', ...contenders];
  const ops = OP_NAMES.filter((op) => rows.some((r) => r.op === op));
  // Throughput: one panel per op, so c1 and c64 of each contender stand side by side.
  const throughput: ChartPanel[] = ops.map((op) => ({
    title: OP_TITLES[op],
    groups: CONCURRENCIES.map((concurrency) => ({
      label: `${concurrency} in flight`,
      values: kinds.map((kind) =>
        value(op, concurrency, kind, (r, sb) => (sb ? r.opsPerSec : r.contenderOpsPerSec)),
      ),
    })),
  }));
  // Latency: one panel per concurrency (c1 and c64 differ by orders of magnitude); the hot-key
  // loop is left out, its calls queue on one key by design.
  const latency: ChartPanel[] = CONCURRENCIES.map((concurrency) => ({
    title: `${concurrency} in flight`,
    groups: ops
      .filter((op) => op !== 'cas-hot')
      .map((op) => ({
        label: SHORT_OP_TITLES[op],
        values: kinds.map((kind) =>
          value(op, concurrency, kind, (r, sb) => (sb ? r.p99Ms : r.contenderP99Ms)),
        ),
      })),
  }));
  return [
    {
      file: `${adapter}-throughput.svg`,
      alt: `${adapter}: operations per second, Strongbox and its contenders, at 1 and 64 calls in flight`,
      svg: renderGroupedBarChart({
        title: `${adapter}: throughput (operations per second, higher is better)`,
        unit: 'ops/s',
        series,
        panels: throughput,
        format: formatRate,
      }),
    },
    {
      file: `${adapter}-p99.svg`,
      alt: `${adapter}: 99th percentile latency in ms, Strongbox and its contenders, at 1 and 64 calls in flight`,
      svg: renderGroupedBarChart({
        title: `${adapter}: p99 latency (ms, lower is better)`,
        unit: 'ms',
        series,
        panels: latency,
        format: formatMs,
        columns: 1,
        panelWidth: 900,
      }),
    },
  ];
}

type Pick = (record: BenchRecord, strongbox: boolean) => number;

/** Op names short enough for a group label under the bars. */
const SHORT_OP_TITLES: Record<OpName, string> = {
  'get-hit': 'get (hit)',
  'get-miss': 'get (miss)',
  set: 'set',
  'set-ttl': 'set with TTL',
  cas: 'checkAndSet',
  'cas-hot': 'CAS loop, hot key',
  delete: 'delete',
};

const COUNTER_SERIES: readonly [CounterKind, ChartSeries][] = [
  ['strongbox', CONTENDER_STYLE.strongbox],
  ['rate-limiter-flexible', { name: 'rate-limiter-flexible', color: '#cf222e' }],
  ['raw', { name: 'raw driver, same statement (increment)', color: '#8c959f' }],
];

const SCENARIO_LABELS: Record<string, string> = {
  increment: 'increment',
  'fixed-window': 'fixed window',
  'sliding-window': 'sliding window',
  'token-bucket': 'token bucket',
  'leaky-bucket': 'leaky bucket',
  gcra: 'GCRA',
};

/** Per backend: calls per second of each strategy at c64, one hot key and distinct keys. */
export function counterCharts(run: CounterRun): Chart[] {
  const backends = [...new Set(run.cells.map((cell) => cell.backend))];
  return backends.map((backend) => {
    const cells = run.cells.filter((cell) => cell.backend === backend && cell.concurrency === 64);
    const panel = (keys: CounterCellResult['keys'], title: string): ChartPanel => ({
      title,
      groups: cells
        .filter((cell) => cell.keys === keys)
        .map((cell) => ({
          label: SCENARIO_LABELS[cell.scenario] ?? cell.scenario,
          values: COUNTER_SERIES.map(
            ([kind]) => cell.results.find((result) => result.kind === kind)?.opsPerSec,
          ),
        })),
    });
    return {
      file: `counters-${backend}.svg`,
      alt: `${backend}: increments and rate-limiter decisions per second at 64 calls in flight, Strongbox against rate-limiter-flexible`,
      svg: renderGroupedBarChart({
        title: `${backend}: counters and rate limiting, 64 calls in flight (calls per second, higher is better)`,
        unit: 'calls/s',
        series: COUNTER_SERIES.map(([, style]) => style),
        panels: [panel('hot', 'one hot key'), panel('distinct', '10,000 distinct keys')],
        format: formatRate,
        columns: 1,
        panelWidth: 720,
      }),
    };
  });
}
