import type { OperationOptions } from './backend.js';
import type { Interruption } from './deadline.js';

/**
 * Call `interrupt` once when `options.signal` aborts or `options.timeout` ms pass, whichever
 * comes first; returns the function that drops the timer and listener. The whole `update`
 * call is bounded this way, across all its reads and commits.
 */
export function timersAndListeners(
  options: OperationOptions | undefined,
  interrupt: (reason: Interruption) => void,
): () => void {
  const signal = options?.signal;
  const timeout = options?.timeout;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => interrupt('ABORTED');
  // Not unref'd, like every call's deadline: a pending update keeps the process alive until
  // it settles, even when its backend holds nothing that would.
  if (timeout !== undefined) timer = setTimeout(interrupt, timeout, 'TIMEOUT');
  signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
}
