import type { KVErrorCode } from './error-codes.js';

/** Longest key in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** Longest per-call `timeout` in ms: a longer timer delay fires after 1 ms in Node. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Why an argument was rejected: the code and a short explanation. */
export interface ValidationProblem {
  code: KVErrorCode;
  detail: string;
}

/**
 * A normalized expiry for adapters: `0` no expiry, a positive number the TTL in ms,
 * `'keep'` keep the key's current expiry (none for an absent key).
 */
export type Expiry = number | 'keep';

/** A key problem, or undefined for a valid key (1..1024 UTF-8 bytes, well-formed, no U+0000). */
export function checkKey(key: unknown): ValidationProblem | undefined {
  if (typeof key !== 'string')
    return { code: 'INVALID_KEY', detail: `key must be a string, got ${typeName(key)}` };
  if (key.length === 0) return { code: 'INVALID_KEY', detail: 'key must not be empty' };
  if (!key.isWellFormed()) return { code: 'INVALID_KEY', detail: 'key contains a lone surrogate' };
  if (key.includes('\0')) return { code: 'INVALID_KEY', detail: 'key contains U+0000' };
  // A UTF-16 unit never takes more than 3 UTF-8 bytes, so short keys skip the byte count.
  if (key.length * 3 > MAX_KEY_BYTES && utf8Length(key) > MAX_KEY_BYTES) {
    return { code: 'INVALID_KEY', detail: `key is longer than ${MAX_KEY_BYTES} UTF-8 bytes` };
  }
  return undefined;
}

/** A value problem, or undefined for a valid value (any well-formed string, `""` included). */
export function checkValue(value: unknown, what = 'value'): ValidationProblem | undefined {
  if (typeof value !== 'string') {
    return { code: 'INVALID_VALUE', detail: `${what} must be a string, got ${typeName(value)}` };
  }
  if (!value.isWellFormed())
    return { code: 'INVALID_VALUE', detail: `${what} contains a lone surrogate` };
  return undefined;
}

/** Like {@link checkValue}, but `null` (absent) is allowed: the `expected` of checkAndSet. */
export function checkExpected(expected: unknown): ValidationProblem | undefined {
  return expected === null ? undefined : checkValue(expected, 'expected');
}

/**
 * Problems with `options` of any operation: must be an object with a valid `signal` and a
 * `timeout` from just above 0 to {@link MAX_TIMEOUT_MS}.
 */
export function checkOperationOptions(options: unknown): ValidationProblem | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    return {
      code: 'INVALID_CONFIG',
      detail: `options must be an object, got ${typeName(options)}`,
    };
  }
  const { signal, timeout } = options as { signal?: unknown; timeout?: unknown };
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    return { code: 'INVALID_CONFIG', detail: 'options.signal must be an AbortSignal' };
  }
  if (timeout !== undefined && !isTimeout(timeout)) {
    return {
      code: 'INVALID_CONFIG',
      detail: `options.timeout must be a positive number of ms, at most ${MAX_TIMEOUT_MS}`,
    };
  }
  return undefined;
}

/** Problems with the TTL fields of write options (checked before the generic option fields). */
export function checkWriteOptions(options: unknown): ValidationProblem | undefined {
  if (typeof options === 'object' && options !== null) {
    const { ttl, keepTtl } = options as { ttl?: unknown; keepTtl?: unknown };
    if (ttl !== undefined && !isTtl(ttl)) {
      return { code: 'INVALID_TTL', detail: 'ttl must be 0 or a positive safe integer of ms' };
    }
    if (keepTtl !== undefined && typeof keepTtl !== 'boolean') {
      return { code: 'INVALID_TTL', detail: 'keepTtl must be a boolean' };
    }
    if (keepTtl === true && ttl !== undefined) {
      return { code: 'INVALID_TTL', detail: 'keepTtl cannot be combined with ttl' };
    }
  }
  return checkOperationOptions(options);
}

/** A `delta` problem of `increment`: it must be a safe integer (0 and negatives included). */
export function checkDelta(delta: unknown): ValidationProblem | undefined {
  if (typeof delta === 'number' && Number.isSafeInteger(delta)) return undefined;
  return {
    code: 'INVALID_VALUE',
    detail: `delta must be a safe integer, got ${typeof delta === 'number' ? String(delta) : typeName(delta)}`,
  };
}

/** Problems with `increment`'s options: a valid `ttl` (no `keepTtl`: a live counter always keeps its expiry). */
export function checkIncrementOptions(options: unknown): ValidationProblem | undefined {
  if (typeof options === 'object' && options !== null) {
    const { ttl, keepTtl } = options as { ttl?: unknown; keepTtl?: unknown };
    if (ttl !== undefined && !isTtl(ttl)) {
      return { code: 'INVALID_TTL', detail: 'ttl must be 0 or a positive safe integer of ms' };
    }
    if (keepTtl !== undefined) {
      return {
        code: 'INVALID_TTL',
        detail: 'increment has no keepTtl: a live counter always keeps its expiry',
      };
    }
  }
  return checkOperationOptions(options);
}

/** The normalized expiry of already-validated write options. */
export function expiryOf(
  options: { ttl?: number | undefined; keepTtl?: boolean | undefined } | undefined,
): Expiry {
  if (options === undefined) return 0;
  return options.keepTtl === true ? 'keep' : (options.ttl ?? 0);
}

/** UTF-8 length of a well-formed string, without `Buffer` (core runs on every runtime). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4; // a surrogate pair: one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isTtl(ttl: unknown): ttl is number {
  return typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl >= 0;
}

function isTimeout(n: unknown): n is number {
  return typeof n === 'number' && n > 0 && n <= MAX_TIMEOUT_MS;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
