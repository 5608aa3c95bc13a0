import { reportBackgroundFailure } from './adapter-options.js';
import type { KVError } from './errors.js';
import { unrefTimer } from './timers.js';

/** A running background purge. */
export interface PurgeSchedule {
  /** Stop: no new batch starts, and the failure of one in flight is not reported. */
  stop(): void;
}

/**
 * Every `intervalMs`, delete expired rows in batches of `batchSize` until a batch comes back
 * short (so a backlog drains without waiting for the next tick), then wait again. The timer
 * never keeps the process alive; ticks never overlap. Failures go to `onError`: `purge`
 * rejects with the adapter's `PURGE_FAILED` KVError (its `purgeExpired`'s rejection).
 */
export function startPurgeSchedule(
  intervalMs: number,
  batchSize: number,
  purge: (batchSize: number) => Promise<number>,
  onError: (error: KVError) => void,
): PurgeSchedule {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    unrefTimer(timer);
  };
  const tick = async () => {
    try {
      let deleted = batchSize;
      while (!stopped && deleted === batchSize) deleted = await purge(batchSize);
    } catch (error) {
      if (!stopped) {
        const failure = error as KVError;
        reportBackgroundFailure(onError, failure, `${failure.backend} purge`);
      }
    }
    if (!stopped) schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
