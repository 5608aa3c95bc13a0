/** Why a call stopped waiting for its driver before the driver answered. */
export type Interruption = 'ABORTED' | 'TIMEOUT';

/**
 * Settle with `work`'s outcome, or reject at once with `onInterrupt(reason)` when `signal`
 * aborts or `timeoutMs` passes first. The work itself keeps running (a driver may not be able
 * to recall a request already sent); its late outcome is ignored. `onFailure`, when given,
 * maps the work's own rejection (not called for one that comes after an interruption).
 */
export function raceInterruptions<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  onInterrupt: (reason: Interruption) => unknown,
  onFailure?: (error: unknown) => unknown,
): Promise<T> {
  if (signal === undefined && timeoutMs === undefined) {
    if (onFailure === undefined) return work;
    return work.then(undefined, (error: unknown) => {
      throw onFailure(error);
    });
  }
  // One promise per call, whichever way it ends: this path runs for every backend operation.
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const interrupt = (reason: Interruption) => {
      if (finish()) reject(onInterrupt(reason));
    };
    const onAbort = () => interrupt('ABORTED');
    // Not unref'd: while a call is pending its deadline keeps the process alive, so the call
    // settles even when the driver holds nothing that would (the timer goes when it settles).
    if (timeoutMs !== undefined) timer = setTimeout(interrupt, timeoutMs, 'TIMEOUT');
    // A listener added to an aborted signal never runs: an already-aborted signal interrupts
    // at once (the built-in operations reject it before any I/O; this covers everyone else).
    if (signal?.aborted) interrupt('ABORTED');
    else signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        if (finish()) resolve(value);
      },
      (error: unknown) => {
        if (finish()) reject(onFailure === undefined ? error : onFailure(error));
      },
    );
  });
}
