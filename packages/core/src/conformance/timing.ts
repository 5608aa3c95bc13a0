import { setImmediate as nextTurn, setTimeout as sleepFor } from 'node:timers/promises';

/**
 * The suite's stopwatch: monotonic and independent of `Date.now()`, which the clock test
 * skews on purpose.
 */
export function now(): number {
  return performance.now();
}

/** Wait `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return sleepFor(Math.max(0, ms)).then(() => undefined);
}

/** Wait until {@link now} reaches `deadline` (timers may fire a little early, so re-check). */
export async function sleepUntil(deadline: number): Promise<void> {
  for (let left = deadline - now(); left > 0; left = deadline - now()) {
    await sleep(Math.ceil(left));
  }
}

/** How a concurrent caller gives others a chance to run between two calls. */
export type Yield = 'none' | 'microtask' | 'macrotask';

/** Yield in the given way. */
export async function yieldBy(kind: Yield): Promise<void> {
  if (kind === 'microtask') await Promise.resolve();
  else if (kind === 'macrotask') await nextTurn();
}
