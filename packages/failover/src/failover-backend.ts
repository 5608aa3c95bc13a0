import {
  type CallContext,
  type Counter,
  type Expiry,
  isHealthError,
  isKVError,
  type KVBackend,
  KVBackendBase,
  type KVOperation,
  type OperationOptions,
  type WriteOptions,
} from '@strongbox/core';
import { CircuitBreaker } from './circuit-breaker.js';
import {
  type FailoverBackendOptions,
  type FailoverState,
  resolveFailoverOptions,
} from './options.js';

/** One call on one side: the same arguments whichever side serves it. */
type Send<T> = (backend: KVBackend, options: OperationOptions) => Promise<T>;

/**
 * A {@link KVBackend} that sends calls to `primary` and, once a circuit breaker has seen
 * `failureThreshold` consecutive unhealthy failures, to `fallback` until a probe finds the
 * primary serving again. The wrapper validates calls and tracks `close()` itself; every
 * rejection is a KVError of backend `'failover'` carrying the inner error's code, op, key and
 * flags, with the inner error as `cause`. Create it with {@link createFailoverBackend}.
 */
export class FailoverBackend extends KVBackendBase {
  /** The backend calls go to while it is healthy. */
  readonly primary: KVBackend;
  /** The backend calls go to while the breaker is open. */
  readonly fallback: KVBackend;
  readonly #breaker: CircuitBreaker;
  readonly #owned: readonly KVBackend[];

  /** Throws an `INVALID_CONFIG` KVError for bad options. Prefer {@link createFailoverBackend}. */
  constructor(options: FailoverBackendOptions) {
    const settings = resolveFailoverOptions(options);
    // Combining happens in the inner backends, which see the calls this one passes on.
    super({ name: 'failover', redactKeys: settings.redactKeys, combine: false });
    this.primary = settings.primary;
    this.fallback = settings.fallback;
    this.#owned = [
      ...(settings.closePrimary ? [settings.primary] : []),
      ...(settings.closeFallback ? [settings.fallback] : []),
    ];
    const probeOptions = { timeout: settings.probeTimeout };
    this.#breaker = new CircuitBreaker({
      failureThreshold: settings.failureThreshold,
      cooldownMs: settings.cooldownMs,
      probe: () =>
        this.primary.ping(probeOptions).then(
          () => true,
          () => false,
        ),
      onStateChange: settings.onStateChange,
      now: () => performance.now(),
    });
  }

  /** `'primary'`, `'fallback'` (breaker open), or `'probing'` (open, one probe running). */
  get state(): FailoverState {
    return this.#breaker.state;
  }

  protected doGet(key: string, call: CallContext): Promise<string | null> {
    return this.#call('get', key, call, true, (kv, o) => kv.get(key, o));
  }

  protected doSet(key: string, value: string, expiry: Expiry, call: CallContext): Promise<void> {
    return this.#call('set', key, call, false, (kv, o) =>
      kv.set(key, value, writeOptions(expiry, o)),
    );
  }

  protected doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
    call: CallContext,
  ): Promise<boolean> {
    return this.#call('checkAndSet', key, call, false, (kv, o) =>
      kv.checkAndSet(key, expected, next, writeOptions(expiry, o)),
    );
  }

  protected doCheckAndDelete(key: string, expected: string, call: CallContext): Promise<boolean> {
    return this.#call('checkAndDelete', key, call, false, (kv, o) =>
      kv.checkAndDelete(key, expected, o),
    );
  }

  protected doDelete(key: string, call: CallContext): Promise<boolean> {
    return this.#call('delete', key, call, false, (kv, o) => kv.delete(key, o));
  }

  protected override doIncrement(
    key: string,
    delta: number,
    ttl: number,
    call: CallContext,
  ): Promise<Counter> {
    return this.#call('increment', key, call, false, (kv, o) =>
      kv.increment(key, delta, writeOptions(ttl, o)),
    );
  }

  /** Checks the side now serving; never moves the breaker. */
  protected async doPing(call: CallContext): Promise<void> {
    const side = this.#breaker.state === 'primary' ? this.primary : this.fallback;
    try {
      await side.ping(call);
    } catch (error) {
      throw this.#wrap('ping', undefined, error);
    }
  }

  protected async doClose(): Promise<void> {
    this.#breaker.stop();
    const results = await Promise.allSettled(this.#owned.map((backend) => backend.close()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw this.#wrap('close', undefined, failed.reason);
  }

  /**
   * Send one call to the side the breaker picks. A primary failure that is unhealthy (and not
   * the caller's own abort or deadline) counts against the primary; a read that failed so is
   * replayed on the fallback within the caller's remaining deadline. A write never is: it may
   * have landed on the primary. The call's context serves as the inner call's options: it
   * carries the caller's signal and timeout.
   */
  async #call<T>(
    op: KVOperation,
    key: string,
    call: CallContext,
    replayable: boolean,
    send: Send<T>,
  ): Promise<T> {
    if (!this.#breaker.routeToPrimary()) return this.#onFallback(op, key, send, call);
    let result: T;
    try {
      result = await send(this.primary, call);
    } catch (error) {
      if (causedByCaller(error, call)) throw this.#wrap(op, key, error);
      if (!isHealthError(error)) {
        this.#breaker.primaryAnswered();
        throw this.#wrap(op, key, error);
      }
      this.#breaker.primaryFailed();
      if (!replayable) throw this.#wrap(op, key, error);
      return this.#onFallback(op, key, send, remainingOf(call));
    }
    this.#breaker.primaryAnswered();
    return result;
  }

  async #onFallback<T>(
    op: KVOperation,
    key: string,
    send: Send<T>,
    options: OperationOptions,
  ): Promise<T> {
    try {
      return await send(this.fallback, options);
    } catch (error) {
      throw this.#wrap(op, key, error);
    }
  }

  /** The wrapper's KVError for an inner rejection: the inner code, op, key and flags. */
  #wrap(op: KVOperation, key: string | undefined, error: unknown) {
    // A third-party backend that breaks the contract gets its error classified like a driver's.
    if (!isKVError(error)) return this.driverFailure(op, key, error);
    return this.kvError({
      code: error.code,
      op: error.op ?? op,
      key: error.key,
      unhealthy: error.unhealthy,
      indeterminate: error.indeterminate,
      cause: error,
      detail: `reported by the ${error.backend} backend`,
    });
  }
}

/** The caller's own signal or deadline ended the call: says nothing about the primary. */
function causedByCaller(error: unknown, call: CallContext): boolean {
  if (call.signal?.aborted) return true;
  if (!isKVError(error)) return false;
  // A per-call timeout replaces the backend's operationTimeout, so its TIMEOUT is the caller's.
  return error.code === 'ABORTED' || (error.code === 'TIMEOUT' && call.timeout !== undefined);
}

/** The caller's signal, with what is left before the call's deadline as the timeout. */
function remainingOf(call: CallContext): OperationOptions {
  if (call.timeout === undefined) return call;
  const left = Math.ceil(call.deadline - performance.now());
  // At 0 or less the wrapper's own deadline rejects the call at once; 1 keeps the option valid.
  return { signal: call.signal, timeout: Math.max(1, left) };
}

/** The inner write's options: `options` itself when there is nothing to add (no copy per call). */
function writeOptions(expiry: Expiry, options: OperationOptions): WriteOptions {
  const { signal, timeout } = options;
  if (expiry === 'keep') return { signal, timeout, keepTtl: true };
  return expiry === 0 ? options : { signal, timeout, ttl: expiry };
}
