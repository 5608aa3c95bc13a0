import type {
  Counter,
  IncrementOptions,
  KVBackend,
  KVOperation,
  OperationOptions,
  WriteOptions,
} from '@strongbox/core';

/** Runs (or replaces) one call of `op`; `forward` performs it on the wrapped backend. */
export type Interceptor = <T>(
  op: KVOperation,
  key: string | undefined,
  forward: () => Promise<T>,
) => Promise<T>;

/** A backend that routes every call through an {@link Interceptor}: fault injection, jitter. */
export class InterceptedBackend implements KVBackend {
  readonly name: string;
  readonly #inner: KVBackend;
  readonly #intercept: Interceptor;

  constructor(inner: KVBackend, intercept: Interceptor) {
    this.name = inner.name;
    this.#inner = inner;
    this.#intercept = intercept;
  }

  get(key: string, options?: OperationOptions): Promise<string | null> {
    return this.#intercept('get', key, () => this.#inner.get(key, options));
  }
  set(key: string, value: string, options?: WriteOptions): Promise<void> {
    return this.#intercept('set', key, () => this.#inner.set(key, value, options));
  }
  checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: WriteOptions,
  ): Promise<boolean> {
    return this.#intercept('checkAndSet', key, () =>
      this.#inner.checkAndSet(key, expected, next, options),
    );
  }
  checkAndDelete(key: string, expected: string, options?: OperationOptions): Promise<boolean> {
    return this.#intercept('checkAndDelete', key, () =>
      this.#inner.checkAndDelete(key, expected, options),
    );
  }
  delete(key: string, options?: OperationOptions): Promise<boolean> {
    return this.#intercept('delete', key, () => this.#inner.delete(key, options));
  }
  increment(key: string, delta?: number, options?: IncrementOptions): Promise<Counter> {
    return this.#intercept('increment', key, () => this.#inner.increment(key, delta, options));
  }
  ping(options?: OperationOptions): Promise<void> {
    return this.#intercept('ping', undefined, () => this.#inner.ping(options));
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
