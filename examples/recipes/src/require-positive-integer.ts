/** Throw a RangeError unless `value` is an integer >= 1 (limits and durations in ms). */
export function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  }
}
