/** The pattern of a canonical counter: no sign on zero, no leading zeros, no `+`, spaces or exponent. */
const CANONICAL_INTEGER = /^(0|-?[1-9][0-9]{0,15})$/;

/**
 * The number a stored value holds when it is a counter (a canonical decimal integer within
 * +-(2^53 - 1)), else undefined. Adapters that implement `doIncrement` natively apply the
 * same rule inside their statement or script.
 */
export function parseCounter(value: string): number | undefined {
  if (!CANONICAL_INTEGER.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
