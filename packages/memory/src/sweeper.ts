/** A running background sweep. */
export interface Sweeper {
  /** Cancel the timer and any pending continuation. */
  stop(): void;
}

/**
 * Call `sweepOnce` every `intervalMs`. While it reports that more work remains, continue on
 * the next turn of the event loop, so each call stays small and other work interleaves,
 * yet a backlog is still cleared promptly. No timer keeps the process alive.
 */
export function startSweeper(intervalMs: number, sweepOnce: () => boolean): Sweeper {
  let continuation: NodeJS.Immediate | undefined;
  const tick = () => {
    continuation = undefined;
    if (sweepOnce()) continuation = setImmediate(tick).unref();
  };
  const interval = setInterval(() => {
    if (continuation === undefined) tick();
  }, intervalMs).unref();
  return {
    stop() {
      clearInterval(interval);
      if (continuation !== undefined) clearImmediate(continuation);
      continuation = undefined;
    },
  };
}
