import { inspect } from 'node:util';

/** A short, printable rendering of any argument, for assertion messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string' && value.length > 40) {
    return `${inspect(value.slice(0, 20))}…(${value.length} chars)`;
  }
  return inspect(value, { depth: 1, breakLength: Number.POSITIVE_INFINITY });
}
