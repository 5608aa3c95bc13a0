import { unrefTimer } from '@strongbox/core';

/** A running background sweep. */
export interface SweepSchedule {
  /** Cancel the timer and any pending continuation. */
  stop(): void;
}

/**
 * Call `sweepOnce` every `intervalMs`. While it reports that more work remains, continue on
 * a zero-delay timer, so each call stays small and other work interleaves, yet a backlog is
 * cleared promptly. No timer keeps the process alive. (An unref'd `setImmediate` would not
 * wake an idle event loop: a backlog would then drain one step per unrelated wake-up.)
 */
export function startSweepSchedule(intervalMs: number, sweepOnce: () => boolean): SweepSchedule {
  let continuation: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    continuation = undefined;
    if (!sweepOnce()) return;
    continuation = setTimeout(tick, 0);
    unrefTimer(continuation);
  };
  const interval = setInterval(() => {
    if (continuation === undefined) tick();
  }, intervalMs);
  unrefTimer(interval);
  return {
    stop() {
      clearInterval(interval);
      if (continuation !== undefined) clearTimeout(continuation);
      continuation = undefined;
    },
  };
}
