/**
 * The invalid arguments the validation tests try, by kind. Each list is what one rule id
 * covers, so a backend that skips one kind of check fails exactly that test.
 */

export const INVALID_KEYS = {
  type: [undefined, null, 42, true, 1n, Symbol('key'), {}, ['k'], new String('k')],
  empty: [''],
  /** 1025 UTF-8 bytes: 1025 ASCII characters, and 342 characters (341 × '€' + 'ab'). */
  length: ['k'.repeat(1025), `${'€'.repeat(341)}ab`],
  surrogate: ['\uD800', 'a\uDC00', '\uDC00\uD800', `${'😀'.slice(0, 1)}k`],
  nul: ['\u0000', 'a\u0000b', 'k\u0000'],
} as const;

/** Not strings (`null` is valid only as checkAndSet's `expected`, so it is tried separately). */
export const NON_STRING_VALUES = [
  undefined,
  42,
  false,
  1n,
  Symbol('v'),
  {},
  ['v'],
  new String('v'),
];

export const LONE_SURROGATE_VALUES = ['\uD800', 'v\uDBFF', '\uDFFFv', `x${'😀'.slice(1)}`];

export const INVALID_TTLS = {
  negative: [-1, -1000, Number.MIN_SAFE_INTEGER],
  fractional: [0.5, 1.5, 100.25],
  'non-finite': [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  unsafe: [Number.MAX_SAFE_INTEGER + 1, 2 ** 60, 1e300],
  type: ['100', null, true, 100n, {}, [100], new Number(100)],
} as const;

/** `keepTtl: true` together with a `ttl`, even a zero one. */
export const KEEP_TTL_CONFLICTS = [
  { keepTtl: true, ttl: 100 },
  { keepTtl: true, ttl: 0 },
];

/** `keepTtl` must be a boolean. */
export const INVALID_KEEP_TTLS = ['yes', 1, null, {}];

/** Deltas of `increment` that are not safe integers: each rejects with INVALID_VALUE. */
export const INVALID_DELTAS = [
  1.5,
  -0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  -(2 ** 53),
  1e300,
  '1',
  null,
  true,
  1n,
  {},
  [1],
  new Number(1),
];

/** `increment` has no `keepTtl` (a live counter always keeps its expiry): any value rejects with INVALID_TTL. */
export const INCREMENT_KEEP_TTLS = [
  { keepTtl: true },
  { keepTtl: false },
  { keepTtl: true, ttl: 100 },
];

/** Per-call options that are not an object of the documented shape: core rejects them with INVALID_CONFIG. */
export const INVALID_OPTIONS = [
  'fast',
  42,
  null,
  true,
  { signal: 'abort' },
  { signal: { aborted: true } },
  { timeout: 0 },
  { timeout: -5 },
  { timeout: Number.NaN },
  { timeout: 2 ** 31 },
  { timeout: '100' },
];
