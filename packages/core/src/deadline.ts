/** Why a call stopped waiting for its driver before the driver answered. */
export type Interruption = 'ABORTED' | 'TIMEOUT';

/**
 * Settle with `work`'s outcome, or reject at once with `onInterrupt(reason)` when `signal`
 * aborts or `timeoutMs` passes first. The work itself keeps running (a driver may not be able
 * to recall a request already sent); its late outcome is ignored.
 */
export function raceInterruptions<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  onInterrupt: (reason: Interruption) => unknown,
): Promise<T> {
  if (signal === undefined && timeoutMs === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const interrupt = (reason: Interruption) => {
      cleanup();
      reject(onInterrupt(reason));
    };
    const onAbort = () => interrupt('ABORTED');
    if (timeoutMs !== undefined) {
      timer = setTimeout(interrupt, timeoutMs, 'TIMEOUT');
      timer.unref();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
