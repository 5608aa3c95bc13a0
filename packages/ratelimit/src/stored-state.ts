import { type KVBackend, KVError } from '@strongbox/core';

/**
 * Parse `a:b:...` into exactly `count` finite non-negative numbers, or undefined. The states of
 * the update-based strategies are such lists, written with `String(number)`, which round-trips.
 */
export function parseNumbers(stored: string, count: number): number[] | undefined {
  const parts = stored.split(':');
  if (parts.length !== count) return undefined;
  const numbers = parts.map((part) => (part === '' ? Number.NaN : Number(part)));
  return numbers.every((n) => Number.isFinite(n) && n >= 0) ? numbers : undefined;
}

/** A stored value no limiter of this kind wrote: reject rather than guess (someone else wrote the key). */
export function foreignState(backend: KVBackend, key: string, kind: string): KVError {
  return new KVError({
    code: 'INVALID_VALUE',
    backend: backend.name,
    op: 'update',
    key,
    detail: `the stored value is not ${kind} state: the key was written by something else`,
  });
}

/** A computed TTL, clamped to >= 1 ms so the key does expire (0 would mean no expiry). */
export function ttlOf(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

/**
 * Float slack (ms or tokens) for comparisons and rounding: sums of fractional intervals such as
 * 1000 / 3 must not turn an exact boundary into an off-by-one.
 */
export const EPSILON = 1e-6;
