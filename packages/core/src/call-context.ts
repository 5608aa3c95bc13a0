import type { Interruption } from './deadline.js';

/**
 * What an adapter's `do*` method knows about the call it serves: the caller's signal and
 * deadline, whether the caller has stopped waiting, and a way to recall the request when it
 * does. The base class races the deadline and the signal itself; a `do*` method only needs
 * the context to stop work nobody waits for (withdraw a queued request, cancel a running
 * statement) or to pass the caller's limits on to another backend (the context is itself an
 * `OperationOptions`).
 */
export interface CallContext {
  /** The caller's signal, if it gave one. */
  readonly signal: AbortSignal | undefined;
  /** The call's deadline in ms from its start: its own `timeout` or the backend's `operationTimeout`. */
  readonly timeout: number | undefined;
  /** When the deadline passes, on the `performance.now()` clock; `Infinity` without one. */
  readonly deadline: number;
  /**
   * Why the caller stopped waiting (`TIMEOUT` once the deadline's timer fired, `ABORTED`),
   * or undefined while it waits. A loop that never yields to timers checks
   * {@link CallContext.deadline} as well: its timer cannot fire meanwhile.
   */
  readonly interrupted: Interruption | undefined;
  /**
   * Run `cancel` once if the caller stops waiting: at once when it already has. Each call
   * replaces the one registered before, so it always recalls what the call is doing now (a
   * call that sends a second request registers again).
   */
  onInterrupt(cancel: (reason: Interruption) => void): void;
}

/** The context of a call that has a deadline or a signal; the base class interrupts it. */
export class InterruptibleCall implements CallContext {
  readonly signal: AbortSignal | undefined;
  readonly timeout: number | undefined;
  readonly deadline: number;
  interrupted: Interruption | undefined = undefined;
  #cancel: ((reason: Interruption) => void) | undefined = undefined;

  constructor(signal: AbortSignal | undefined, timeout: number | undefined) {
    this.signal = signal;
    this.timeout = timeout;
    this.deadline = timeout === undefined ? Infinity : performance.now() + timeout;
  }

  onInterrupt(cancel: (reason: Interruption) => void): void {
    if (this.interrupted === undefined) this.#cancel = cancel;
    else runRecall(cancel, this.interrupted);
  }

  /** The caller stopped waiting: run the registered recall, once. */
  interrupt(reason: Interruption): void {
    if (this.interrupted !== undefined) return;
    this.interrupted = reason;
    const cancel = this.#cancel;
    this.#cancel = undefined;
    if (cancel !== undefined) runRecall(cancel, reason);
  }
}

/**
 * The caller already has its TIMEOUT or ABORTED: a recall that fails must not throw out of
 * the deadline's timer, the signal's listener or the adapter's own code.
 */
function runRecall(cancel: (reason: Interruption) => void, reason: Interruption): void {
  try {
    cancel(reason);
  } catch {
    // Nothing to report to: the call is over for its caller.
  }
}

/** The context of every call without a deadline or a signal: nothing can interrupt it. */
export const UNINTERRUPTIBLE_CALL: CallContext = Object.freeze({
  signal: undefined,
  timeout: undefined,
  deadline: Infinity,
  interrupted: undefined,
  onInterrupt: () => {},
});
