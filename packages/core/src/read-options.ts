import type { ValidationProblem } from './validation.js';

/** A caller's options read once, or why they could not be read. */
export interface OptionsRead<T> {
  options: T | undefined;
  problem: ValidationProblem | undefined;
}

/** The contract's option fields, copied; its instances are known to be read already. */
class OptionsCopy {
  signal?: unknown;
  timeout?: unknown;
  ttl?: unknown;
  keepTtl?: unknown;
}

/** Stands in for a `signal` that is not an AbortSignal (validation rejects it). */
const NOT_A_SIGNAL = Object.freeze({});

const NO_OPTIONS: OptionsRead<never> = { options: undefined, problem: undefined };

const UNREADABLE: ValidationProblem = {
  code: 'INVALID_CONFIG',
  detail: 'options could not be read (a getter or Proxy threw)',
};

/**
 * Copy a caller's `options` into a plain object, reading each field of the contract once
 * (`signal`, `timeout`, `ttl`, `keepTtl`), so validation and the call see the same values
 * however often they look. An object that throws when read (a throwing getter, a revoked
 * Proxy, also as the signal) becomes an
 * `INVALID_CONFIG` problem instead of a synchronous throw; what it threw is not shown.
 * Anything but an object is passed on unchanged for validation to name.
 */
export function readOptions<T>(options: T | undefined): OptionsRead<T> {
  if (options === undefined) return NO_OPTIONS;
  if (typeof options !== 'object' || options === null) return { options, problem: undefined };
  try {
    if (options instanceof OptionsCopy) return { options, problem: undefined };
    const { signal, timeout, ttl, keepTtl } = options as OptionsCopy;
    const copy = new OptionsCopy();
    // `instanceof` runs a Proxy's traps: decided here, where a throw is caught, and anything
    // else validation sees as what it is, not a signal.
    if (signal !== undefined) copy.signal = signal instanceof AbortSignal ? signal : NOT_A_SIGNAL;
    if (timeout !== undefined) copy.timeout = timeout;
    if (ttl !== undefined) copy.ttl = ttl;
    if (keepTtl !== undefined) copy.keepTtl = keepTtl;
    return { options: copy as T, problem: undefined };
  } catch {
    return { options: undefined, problem: UNREADABLE };
  }
}
