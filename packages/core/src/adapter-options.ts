import type { KVErrorCode } from './error-codes.js';
import { KVError } from './errors.js';
import { MAX_TIMEOUT_MS } from './validation.js';
import { emitWarning } from './warnings.js';

/** An option's value, or undefined when it was not given (an explicit `undefined` included). */
type Given = Record<string, unknown>;

/** How {@link readAdapterOptions} reads the options object. */
export interface AdapterOptionsShape {
  /**
   * The option names the adapter reads; any other name is rejected as unknown. Omit it for an
   * adapter that hands every other option to its driver.
   */
  known?: Iterable<string> | undefined;
  /** Whether the options object may be omitted (default true). */
  optional?: boolean | undefined;
  /** What the adapter expects, added to the "options must be an object" message. */
  expects?: string | undefined;
}

/**
 * An adapter's options, checked one by one with the same verdict on every adapter: each
 * reader returns the value or its default and throws an `INVALID_CONFIG` {@link KVError} (no
 * I/O has happened yet) naming the option and what it must be. Get one from
 * {@link readAdapterOptions}.
 *
 * @example
 * ```ts
 * const o = readAdapterOptions('sqlite', options, { known: ['filename', 'operationTimeout'] });
 * const operationTimeout = o.timeout('operationTimeout', 5000);
 * ```
 */
export class AdapterOptions {
  /** Adapter id, reported as `KVError.backend`. */
  readonly backend: string;
  /** The options as given, for the checks that are the adapter's own. */
  readonly given: Readonly<Given>;

  constructor(backend: string, given: Given) {
    this.backend = backend;
    this.given = given;
  }

  /** A boolean. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.given[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw this.invalid(`${name} must be a boolean`);
    return value;
  }

  /** A function (a clock, an `onError` callback, ...). */
  callback<F extends (...args: never[]) => unknown>(name: string, fallback: F): F;
  callback<F extends (...args: never[]) => unknown>(name: string): F | undefined;
  callback<F extends (...args: never[]) => unknown>(name: string, fallback?: F): F | undefined {
    const value = this.given[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'function') throw this.invalid(`${name} must be a function`);
    return value as F;
  }

  /**
   * A background-failure callback; by default {@link emitWarning} (`process.emitWarning`, or
   * `console.warn` on runtimes without `process`).
   */
  onError(name = 'onError'): (error: KVError) => void {
    return this.callback(name, emitWarning);
  }

  /**
   * A deadline in ms: a positive number (fractions allowed) of at most 2^31 - 1, the verdict
   * a call's own `timeout` gets.
   */
  timeout(name: string, fallback: number): number;
  timeout(name: string): number | undefined;
  timeout(name: string, fallback?: number): number | undefined {
    const value = this.given[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !(value > 0) || !(value <= MAX_TIMEOUT_MS)) {
      throw this.invalid(`${name} must be a positive number of ms, at most ${MAX_TIMEOUT_MS}`);
    }
    return value;
  }

  /**
   * A timer's delay in whole ms, from `min` (0 where 0 turns the timer off) to 2^31 - 1, the
   * longest delay timers keep (longer ones fire at once).
   */
  interval(name: string, fallback: number, min: 0 | 1 = 1): number {
    return this.integer(name, fallback, { min, max: MAX_TIMEOUT_MS, unit: ' ms' });
  }

  /** An integer from `min` to `max`; `code` is the error code for a bad one. */
  integer(
    name: string,
    fallback: number,
    limits: { min: number; max: number; code?: KVErrorCode | undefined; unit?: string | undefined },
  ): number {
    const value = this.given[name];
    if (value === undefined) return fallback;
    const { min, max, code = 'INVALID_CONFIG', unit = '' } = limits;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw this.invalid(`${name} must be an integer from ${min} to ${max}${unit}`, code);
    }
    return value;
  }

  /** A string. */
  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const value = this.given[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'string') throw this.invalid(`${name} must be a string`);
    return value;
  }

  /** An array of strings (such as `connectionErrorPatterns`); default empty. */
  strings(name: string): readonly string[] {
    const value = this.given[name];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw this.invalid(`${name} must be an array of strings`);
    }
    return value;
  }

  /** The error for an option that is wrong in a way only the adapter can tell. */
  invalid(detail: string, code: KVErrorCode = 'INVALID_CONFIG'): KVError {
    return new KVError({ code, backend: this.backend, detail });
  }
}

/**
 * Start reading an adapter's options: throws `INVALID_CONFIG` when `options` is not a plain
 * object (or is missing where `shape.optional` is false) or names an option that is not
 * `shape.known`.
 */
export function readAdapterOptions(
  backend: string,
  options: unknown,
  shape: AdapterOptionsShape = {},
): AdapterOptions {
  const { known, optional = true, expects } = shape;
  const given = options === undefined && optional ? {} : options;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    const detail = `options must be an object${expects === undefined ? '' : ` ${expects}`}`;
    throw new KVError({ code: 'INVALID_CONFIG', backend, detail });
  }
  if (known !== undefined) {
    const names = new Set(known);
    const unknown = Object.keys(given).filter((name) => !names.has(name));
    if (unknown.length > 0) {
      throw new KVError({
        code: 'INVALID_CONFIG',
        backend,
        detail: `unknown option(s): ${unknown.join(', ')}`,
      });
    }
  }
  return new AdapterOptions(backend, given as Given);
}

/**
 * Hand a background failure (a purge or sweep that failed) to the adapter's `onError`. A
 * callback that throws becomes a warning: it runs from a timer, where a throw would crash
 * the process.
 */
export function reportBackgroundFailure(
  onError: (error: KVError) => void,
  error: KVError,
  what: string,
): void {
  try {
    onError(error);
  } catch (callbackError) {
    emitWarning(new Error(`${what} onError threw: ${String(callbackError)}`));
  }
}
