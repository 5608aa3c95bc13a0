import { collectGarbage, measureAlternating } from '../alternating-turns.js';
import { runClosedLoop } from '../closed-loop.js';
import { formatRate, log } from '../format.js';
import { LatencyHistogram } from '../histogram.js';
import { median } from '../stats.js';
import type {
  CounterContender,
  CounterKind,
  CounterScenario,
  KeyMode,
} from './counter-contender.js';

/** Distinct keys a `distinct` cell cycles through. */
const DISTINCT_KEYS = 10_000;

/** One backend × scenario × key mode × concurrency. */
export interface CounterCell {
  backend: string;
  scenario: CounterScenario;
  keys: KeyMode;
  concurrency: number;
  contenders: readonly CounterContender[];
  rounds: number;
  warmupMs: number;
  durationMs: number;
}

/** What one contender achieved in a cell. */
export interface CounterResult {
  kind: CounterKind;
  description: string;
  roundOpsPerSec: number[];
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** Fresh key names per measurement, so no contender inherits another round's counters. */
let measurements = 0;

/** Measure a cell in alternating rounds; the reported rate is the median over the rounds. */
export async function measureCounterCell(cell: CounterCell): Promise<CounterResult[]> {
  const measured = await measureAlternating(
    cell.contenders,
    { rounds: cell.rounds },
    async (contender, { round }) => {
      const step = stepFor(contender, cell.keys, ++measurements);
      collectGarbage();
      const result = await runClosedLoop(step, {
        concurrency: cell.concurrency,
        warmupMs: cell.warmupMs,
        durationMs: cell.durationMs,
      });
      const rate = (result.ops * 1000) / result.elapsedMs;
      log(
        `  ${cell.backend} ${cell.scenario} ${cell.keys} c${cell.concurrency} round ${round + 1}/${cell.rounds} ` +
          `${contender.kind}: ${formatRate(rate)}/s, p99 ${result.latency.percentile(0.99).toFixed(2)} ms`,
      );
      return { rate, latency: result.latency };
    },
  );
  return cell.contenders.map((contender, index) => {
    const rounds = measured[index] ?? [];
    const latency = new LatencyHistogram();
    for (const measurement of rounds) latency.merge(measurement.latency);
    const rates = rounds.map((measurement) => measurement.rate);
    return {
      kind: contender.kind,
      description: contender.description,
      roundOpsPerSec: rates,
      opsPerSec: median(rates),
      p50Ms: latency.percentile(0.5),
      p99Ms: latency.percentile(0.99),
    };
  });
}

/** The step of one measurement: every worker on one key, or cycling through distinct keys. */
export function stepFor(contender: CounterContender, keys: KeyMode, measurement: number) {
  if (keys === 'hot') {
    const key = `hot:${measurement}`;
    return () => contender.hit(key);
  }
  const names = Array.from({ length: DISTINCT_KEYS }, (_, i) => `k:${measurement}:${i}`);
  let next = 0;
  return () => {
    const key = names[next] as string;
    next = next + 1 === names.length ? 0 : next + 1;
    return contender.hit(key);
  };
}
