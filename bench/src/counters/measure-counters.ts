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

/**
 * Measure a cell: contenders take turns round after round, the order rotated every round,
 * so drift in the machine's load spreads over all of them. The reported rate is the median.
 */
export async function measureCounterCell(cell: CounterCell): Promise<CounterResult[]> {
  const tallies = cell.contenders.map(() => ({
    rates: [] as number[],
    latency: new LatencyHistogram(),
  }));
  for (let round = 0; round < cell.rounds; round++) {
    for (let turn = 0; turn < cell.contenders.length; turn++) {
      const index = (turn + round) % cell.contenders.length;
      const contender = cell.contenders[index] as CounterContender;
      const tally = tallies[index] as (typeof tallies)[number];
      const step = stepFor(contender, cell.keys, ++measurements);
      (globalThis as { gc?: () => void }).gc?.();
      const result = await runClosedLoop(step, {
        concurrency: cell.concurrency,
        warmupMs: cell.warmupMs,
        durationMs: cell.durationMs,
      });
      const rate = (result.ops * 1000) / result.elapsedMs;
      tally.rates.push(rate);
      tally.latency.merge(result.latency);
      log(
        `  ${cell.backend} ${cell.scenario} ${cell.keys} c${cell.concurrency} round ${round + 1}/${cell.rounds} ` +
          `${contender.kind}: ${formatRate(rate)}/s, p99 ${result.latency.percentile(0.99).toFixed(2)} ms`,
      );
    }
  }
  return cell.contenders.map((contender, index) => {
    const tally = tallies[index] as (typeof tallies)[number];
    return {
      kind: contender.kind,
      description: contender.description,
      roundOpsPerSec: tally.rates,
      opsPerSec: median(tally.rates),
      p50Ms: tally.latency.percentile(0.5),
      p99Ms: tally.latency.percentile(0.99),
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
