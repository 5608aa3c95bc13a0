import type {
  Counter,
  IncrementOptions,
  KVBackend,
  KVOperation,
  OperationOptions,
  WriteOptions,
} from './backend.js';
import { briefReason } from './brief-reason.js';
import { type CallContext, InterruptibleCall, UNINTERRUPTIBLE_CALL } from './call-context.js';
import { type ConnectionErrorClassifier, createConnectionErrorClassifier } from './classify.js';
import { parseCounter } from './counter.js';
import { type Interruption, raceInterruptions } from './deadline.js';
import { isObserved, type OperationTraceContext, traceOperation } from './diagnostics.js';
import { FAILURE_CODE_BY_OP, WRITE_OPS } from './error-codes.js';
import { isKVError, KVError } from './errors.js';
import { IncrementCombiner } from './increment-combiner.js';
import { readOptions } from './read-options.js';
import { sanitizeError } from './sanitize.js';
import {
  checkDelta,
  checkExpected,
  checkIncrementOptions,
  checkKey,
  checkOperationOptions,
  checkValue,
  checkWriteOptions,
  type Expiry,
  expiryOf,
  type ValidationProblem,
} from './validation.js';

/** Settings shared by every adapter built on {@link KVBackendBase}. */
export interface KVBackendBaseOptions {
  /** Adapter id, reported as `KVError.backend`. */
  name: string;
  /** Default per-operation deadline in ms; undefined means none. */
  operationTimeout?: number | undefined;
  /** Leave keys out of errors. */
  redactKeys?: boolean | undefined;
  /** Decides `unhealthy` for driver errors (default: the core classifier with no extra patterns). */
  isConnectionError?: ConnectionErrorClassifier | undefined;
  /** Strings (passwords) scrubbed from every error's message, stack and cause chain. */
  secrets?: readonly string[] | undefined;
  /**
   * The driver's error fields kept in a sanitized cause besides Node's system-error fields
   * (`code`, `errno`, `syscall`, `address`, `port`): only fields that never echo command
   * arguments or stored values.
   */
  safeErrorFields?: readonly string[] | undefined;
  /**
   * Combine concurrent `increment` calls on one key into one request (default true). Turn it
   * off to measure the difference; results are the same either way.
   */
  combine?: boolean | undefined;
}

/**
 * The shared half of an adapter: argument validation with the contract's precedence
 * (CLOSED, INVALID_* in argument order, ABORTED), deadlines and aborts, closing, and
 * wrapping driver errors in sanitized, classified {@link KVError}s. An adapter implements
 * the `do*` methods, which only ever see valid arguments.
 */
export abstract class KVBackendBase implements KVBackend {
  readonly name: string;
  readonly #operationTimeout: number | undefined;
  readonly #redactKeys: boolean;
  readonly #isConnectionError: ConnectionErrorClassifier;
  readonly #secrets: readonly string[];
  readonly #safeErrorFields: readonly string[];
  readonly #combiner: IncrementCombiner | undefined;
  #closing: Promise<void> | undefined;

  protected constructor(options: KVBackendBaseOptions) {
    this.name = options.name;
    this.#operationTimeout = checkedOperationTimeout(options.name, options.operationTimeout);
    this.#redactKeys = options.redactKeys ?? false;
    this.#isConnectionError = options.isConnectionError ?? createConnectionErrorClassifier();
    this.#secrets = options.secrets ?? [];
    this.#safeErrorFields = options.safeErrorFields ?? [];
    this.#combiner =
      options.combine === false
        ? undefined
        : new IncrementCombiner(
            (key, delta, ttl, callOptions, batchSize) =>
              this.#sendIncrement(key, delta, ttl, callOptions, batchSize),
            {
              interrupted: (key, reason, sent) =>
                this.#interruption('increment', key, reason, sent),
              closed: (key) =>
                this.kvError({
                  code: 'CLOSED',
                  op: 'increment',
                  key,
                  detail: 'the backend was closed before the call was sent',
                }),
            },
            this.#operationTimeout,
          );
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  // Every `do*` method gets valid arguments and the call's context: its signal and deadline
  // and a way to recall the request once the caller stops waiting (see CallContext).

  /** Read a live value; `key` is valid. */
  protected abstract doGet(key: string, call: CallContext): Promise<string | null>;
  /** Store unconditionally with the normalized expiry. */
  protected abstract doSet(
    key: string,
    value: string,
    expiry: Expiry,
    call: CallContext,
  ): Promise<void>;
  /** Atomic check-and-set with the normalized expiry. */
  protected abstract doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
    call: CallContext,
  ): Promise<boolean>;
  /** Atomic compare-and-delete. */
  protected abstract doCheckAndDelete(
    key: string,
    expected: string,
    call: CallContext,
  ): Promise<boolean>;
  /** Delete; true when a live key was removed. */
  protected abstract doDelete(key: string, call: CallContext): Promise<boolean>;
  /**
   * Add `delta` to the counter at `key` (see {@link KVBackend.increment}); `ttl` (0: none) is
   * the expiry of a counter this call creates. Reject with {@link KVBackendBase.counterError}
   * for a live value that is not a counter or a result out of range, writing nothing.
   *
   * The default is a `get` + `checkAndSet` loop, correct on any adapter but two round trips
   * per attempt, and it cannot read a live counter's expiry (it reports `ttl: undefined`).
   * Override it with one atomic statement or script that reports the remaining ttl.
   */
  protected async doIncrement(
    key: string,
    delta: number,
    ttl: number,
    call: CallContext,
  ): Promise<Counter> {
    for (;;) {
      const current = await this.doGet(key, call);
      let value = delta;
      if (current !== null) {
        const stored = parseCounter(current);
        if (stored === undefined) throw this.counterError('NOT_A_COUNTER', key);
        value = stored + delta;
        if (!Number.isSafeInteger(value)) throw this.counterError('COUNTER_OVERFLOW', key);
      }
      const expiry = current === null ? ttl : 'keep';
      if (await this.doCheckAndSet(key, current, String(value), expiry, call)) {
        return { value, ttl: current !== null ? undefined : ttl > 0 ? ttl : null };
      }
      // The call was given up on (every caller left, or its deadline passed): stop retrying
      // instead of spinning on a hot key. A deadline can pass before its timer has run, so
      // the caller may still be waiting: it gets the TIMEOUT it is due, not a failure.
      const interrupted =
        call.interrupted ?? (performance.now() >= call.deadline ? 'TIMEOUT' : undefined);
      if (interrupted !== undefined) throw this.#interruption('increment', key, interrupted);
    }
  }

  /** Check the backend can serve requests. */
  protected abstract doPing(call: CallContext): Promise<void>;
  /** Release resources; called once. */
  protected abstract doClose(): Promise<void>;

  /**
   * Whether a failed write may have been applied. The default says yes for every driver
   * error; adapters narrow it for errors known to happen before the request was sent.
   */
  protected mayHaveBeenApplied(_error: unknown): boolean {
    return true;
  }

  get(key: string, given?: OperationOptions): Promise<string | null> {
    const { options, problem: unreadable } = readOptions(given);
    const rejected = this.#precheck(
      'get',
      key,
      options,
      checkKey(key) ?? unreadable ?? checkOperationOptions(options),
    );
    return rejected ?? this.run('get', key, options, (call) => this.doGet(key, call));
  }

  set(key: string, value: string, given?: WriteOptions): Promise<void> {
    const { options, problem: unreadable } = readOptions(given);
    const problem = checkKey(key) ?? checkValue(value) ?? unreadable ?? checkWriteOptions(options);
    const rejected = this.#precheck('set', key, options, problem);
    return (
      rejected ??
      this.run('set', key, options, (call) => this.doSet(key, value, expiryOf(options), call))
    );
  }

  checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    given?: WriteOptions,
  ): Promise<boolean> {
    const { options, problem: unreadable } = readOptions(given);
    const problem =
      checkKey(key) ??
      checkExpected(expected) ??
      checkValue(next, 'next') ??
      unreadable ??
      checkWriteOptions(options);
    const rejected = this.#precheck('checkAndSet', key, options, problem);
    return (
      rejected ??
      this.run('checkAndSet', key, options, (call) =>
        this.doCheckAndSet(key, expected, next, expiryOf(options), call),
      )
    );
  }

  checkAndDelete(key: string, expected: string, given?: OperationOptions): Promise<boolean> {
    const { options, problem: unreadable } = readOptions(given);
    const problem =
      checkKey(key) ??
      checkValue(expected, 'expected') ??
      unreadable ??
      checkOperationOptions(options);
    const rejected = this.#precheck('checkAndDelete', key, options, problem);
    return (
      rejected ??
      this.run('checkAndDelete', key, options, (call) => this.doCheckAndDelete(key, expected, call))
    );
  }

  delete(key: string, given?: OperationOptions): Promise<boolean> {
    const { options, problem: unreadable } = readOptions(given);
    const rejected = this.#precheck(
      'delete',
      key,
      options,
      checkKey(key) ?? unreadable ?? checkOperationOptions(options),
    );
    return rejected ?? this.run('delete', key, options, (call) => this.doDelete(key, call));
  }

  increment(key: string, delta = 1, given?: IncrementOptions): Promise<Counter> {
    const { options, problem: unreadable } = readOptions(given);
    const problem =
      checkKey(key) ?? checkDelta(delta) ?? unreadable ?? checkIncrementOptions(options);
    const rejected = this.#precheck('increment', key, options, problem);
    if (rejected !== undefined) return rejected;
    const ttl = options?.ttl ?? 0;
    // -0 is 0, so no adapter creates a counter whose value reads as -0.
    const added = delta === 0 ? 0 : delta;
    if (this.#combiner === undefined) return this.#sendIncrement(key, added, ttl, options);
    return this.#combiner.increment(key, added, ttl, options);
  }

  ping(given?: OperationOptions): Promise<void> {
    const { options, problem: unreadable } = readOptions(given);
    const problem = unreadable ?? checkOperationOptions(options);
    const rejected = this.#precheck('ping', undefined, options, problem);
    return rejected ?? this.run('ping', undefined, options, (call) => this.doPing(call));
  }

  close(): Promise<void> {
    // Only the first call may report a failure; later calls see an already-closed backend.
    if (this.#closing !== undefined) return this.#closing.catch(() => undefined);
    this.#combiner?.close();
    // An async wrapper turns a synchronous throw of doClose into the same one-shot rejection.
    this.#closing = (async () => this.doClose())().catch((error: unknown) => {
      throw this.driverFailure('close', undefined, error);
    });
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Run one operation on the driver with the deadline and abort rules of the contract,
   * wrapping any driver error in a KVError; `work` gets the call's {@link CallContext}. It
   * checks nothing itself: the built-in operations have validated their arguments, and an
   * adapter's own extra operation reads its options with `readOptions` and returns
   * {@link rejectionBeforeIO}'s error, if any, before calling it. Every built-in operation
   * goes through it, so a subclass that overrides it sees every call.
   */
  protected run<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    // Increments are traced by #sendIncrement, which knows the batch size.
    return op !== 'increment' && isObserved(op)
      ? this.#tracedExecute(op, key, options, work)
      : this.#execute(op, key, options, work);
  }

  /** #execute, traced. Its own method: a closure in run() would cost a context on every call. */
  #tracedExecute<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    return this.#traced(op, key, undefined, () => this.#execute(op, key, options, work));
  }

  /** `send` as one traced operation (only called with a subscriber: it builds the context). */
  #traced<T>(
    op: KVOperation,
    key: string | undefined,
    batchSize: number | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    return traceOperation(op, this.#traceContext(op, key, batchSize), send);
  }

  /** What the diagnostics channels publish about one call (built only for a subscriber). */
  #traceContext(
    op: KVOperation,
    key: string | undefined,
    batchSize: number | undefined,
  ): OperationTraceContext {
    return {
      backend: this.name,
      op,
      ...(key === undefined || this.#redactKeys ? {} : { key }),
      ...(batchSize === undefined ? {} : { batchSize }),
    };
  }

  #execute<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    const timeout = options?.timeout ?? this.#operationTimeout;
    const signal = options?.signal;
    const call =
      signal === undefined && timeout === undefined
        ? undefined
        : new InterruptibleCall(signal, timeout);
    let pending: Promise<T>;
    try {
      pending = work(call ?? UNINTERRUPTIBLE_CALL);
    } catch (error) {
      return Promise.reject(this.driverFailure(op, key, error));
    }
    if (call === undefined) {
      // Nothing can interrupt the call: only its failure is mapped (no per-call race closures).
      return pending.then(undefined, (error: unknown) => {
        throw this.driverFailure(op, key, error);
      });
    }
    return raceInterruptions(
      pending,
      signal,
      timeout,
      (reason) => {
        call.interrupt(reason);
        return this.#interruption(op, key, reason);
      },
      (error) => this.driverFailure(op, key, error),
    );
  }

  /**
   * The error of an increment that found a live value that is not a counter
   * (`NOT_A_COUNTER`) or whose result would leave +-(2^53 - 1) (`COUNTER_OVERFLOW`). Neither
   * writes anything, so neither is unhealthy or indeterminate. The stored value is never shown.
   */
  protected counterError(code: 'NOT_A_COUNTER' | 'COUNTER_OVERFLOW', key: string): KVError {
    const detail =
      code === 'NOT_A_COUNTER'
        ? 'the stored value is not a canonical decimal integer within +-(2^53 - 1)'
        : 'the result would leave the safe-integer range +-(2^53 - 1)';
    return this.kvError({ code, op: 'increment', key, detail });
  }

  /** One increment request: a lone call, or a combined batch's summed delta. */
  #sendIncrement(
    key: string,
    delta: number,
    ttl: number,
    options: OperationOptions | undefined,
    batchSize = 1,
  ): Promise<Counter> {
    if (isObserved('increment')) {
      return this.#traced('increment', key, batchSize, () =>
        this.run('increment', key, options, (call) => this.doIncrement(key, delta, ttl, call)),
      );
    }
    return this.run('increment', key, options, (call) => this.doIncrement(key, delta, ttl, call));
  }

  /**
   * Wrap what a driver threw during `op` into a KVError: the op's `*_FAILED` code, a sanitized
   * cause, `unhealthy` from the connection classifier, `indeterminate` for a write that may
   * have been applied. A KVError passes through unchanged.
   */
  protected driverFailure(op: KVOperation, key: string | undefined, error: unknown): KVError {
    if (isKVError(error)) return error;
    const unhealthy = op === 'ping' || op === 'connect' || this.#isConnectionError(error);
    const cause = sanitizeError(error, this.#secrets, this.#safeErrorFields);
    return this.kvError({
      code: FAILURE_CODE_BY_OP[op],
      op,
      key,
      unhealthy,
      indeterminate: WRITE_OPS.has(op) && this.mayHaveBeenApplied(error),
      cause,
      // A ping carries no key or value, so its driver's reason is safe to show (sanitized).
      detail: op === 'ping' ? briefReason(cause) : undefined,
    });
  }

  /**
   * Build a KVError this backend raises itself (no driver error to classify: CLOSED, a counter
   * refusal, an interruption), with the key left out when keys are redacted.
   */
  protected kvError(
    init: Omit<ConstructorParameters<typeof KVError>[0], 'backend' | 'key'> & {
      key?: string | undefined;
    },
  ): KVError {
    const { key, ...rest } = init;
    return new KVError({
      ...rest,
      backend: this.name,
      ...(key === undefined || this.#redactKeys ? {} : { key }),
    });
  }

  /** The error of a call interrupted by its deadline or signal; `sent` false: nothing was sent. */
  #interruption(
    op: KVOperation,
    key: string | undefined,
    reason: Interruption,
    sent = true,
  ): KVError {
    return this.kvError({
      code: reason,
      op,
      key,
      unhealthy: reason === 'TIMEOUT',
      indeterminate: sent && WRITE_OPS.has(op),
      detail: reason === 'TIMEOUT' ? 'the deadline passed' : 'the caller aborted the call',
    });
  }

  /**
   * The contract's checks before any I/O, in its precedence: CLOSED, then the first argument
   * problem (pass the first failing check of the arguments, in argument order), then ABORTED
   * for an already-aborted signal. Adapters call it first in their own extra operations.
   */
  protected rejectionBeforeIO(
    op: KVOperation,
    key: unknown,
    options: OperationOptions | undefined,
    problem: ValidationProblem | undefined,
  ): KVError | undefined {
    const keyForError =
      typeof key === 'string' && problem?.code !== 'INVALID_KEY' ? key : undefined;
    if (this.#closing !== undefined) {
      return this.kvError({
        code: 'CLOSED',
        op,
        key: keyForError,
        detail: 'the backend is closed',
      });
    }
    if (problem !== undefined) {
      return this.kvError({ code: problem.code, op, key: keyForError, detail: problem.detail });
    }
    if (options?.signal?.aborted) {
      const detail = 'the signal was already aborted';
      return this.kvError({ code: 'ABORTED', op, key: keyForError, detail });
    }
    return undefined;
  }

  #precheck(
    op: KVOperation,
    key: unknown,
    options: OperationOptions | undefined,
    problem: ValidationProblem | undefined,
  ): Promise<never> | undefined {
    const rejected = this.rejectionBeforeIO(op, key, options, problem);
    return rejected === undefined ? undefined : Promise.reject(rejected);
  }
}

/** The backend-wide deadline, which must fit Node's timers like a per-call `timeout`. */
function checkedOperationTimeout(backend: string, timeout: number | undefined): number | undefined {
  if (timeout === undefined) return undefined;
  const problem = checkOperationOptions({ timeout });
  if (problem !== undefined) {
    const detail = problem.detail.replace('options.timeout', 'operationTimeout');
    throw new KVError({ code: 'INVALID_CONFIG', backend, op: 'connect', detail });
  }
  return timeout;
}
