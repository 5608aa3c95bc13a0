import { runClosedLoop } from '../closed-loop.js';
import type {
  CounterContender,
  CounterKind,
  CounterScenario,
  KeyMode,
} from './counter-contender.js';
import { stepFor } from './measure-counters.js';

/** Concurrency of the counting runs, where combining shows. */
const CONCURRENCY = 64;

/**
 * Requests each contender sends per call on `scenario`, counted by the proxy between client
 * and server: a warm-up (scripts loaded, statements prepared), then a run whose requests are
 * divided by the calls it finished. Runs drain completely, so no request straddles the count.
 */
export async function countCounterRoundTrips(
  contenders: readonly CounterContender[],
  requests: () => number,
  keys: KeyMode,
  windowMs: number,
): Promise<Partial<Record<CounterKind, number>>> {
  const perCall: Partial<Record<CounterKind, number>> = {};
  let measurement = 1_000_000;
  for (const contender of contenders) {
    const shape = { concurrency: CONCURRENCY, warmupMs: 0, durationMs: windowMs };
    await runClosedLoop(stepFor(contender, keys, ++measurement), shape);
    const before = requests();
    const run = await runClosedLoop(stepFor(contender, keys, ++measurement), shape);
    perCall[contender.kind] = (requests() - before) / run.totalOps;
  }
  return perCall;
}

/** Scenarios whose round trips are counted: the ones built on `increment`. */
export const COUNTED_SCENARIOS: readonly CounterScenario[] = ['increment', 'fixed-window'];
