import { type KVError, reportBackgroundFailure, unrefTimer } from '@strongbox/core';

/** A running background purge. */
export interface PurgeSchedule {
  /** Stop: no new batch starts, and the failure of one in flight is not reported. */
  stop(): void;
}

/**
 * Every `intervalMs`, delete expired rows in batches of `batchSize` until a batch comes back
 * short (so a backlog drains without waiting for the next tick), then wait again. The timer
 * never keeps the process alive; ticks never overlap. Failures go to `onError`.
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
      if (!stopped) reportBackgroundFailure(onError, error as KVError, 'postgres purge');
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
