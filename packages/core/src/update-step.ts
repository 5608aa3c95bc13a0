import { KVError } from './errors.js';
import {
  checkValue,
  checkWriteOptions,
  type Expiry,
  type ValidationProblem,
} from './validation.js';

/**
 * What one `update` step returns: `{ result }` writes nothing; `{ result, next }` stores `next`
 * with the write options `ttl` / `keepTtl` (the rules of `set`: omitted or 0 is no expiry,
 * `keepTtl` keeps the current expiry and may not be combined with `ttl`).
 */
export type UpdateStep<R> =
  | { result: R }
  | { result: R; next: string; ttl?: number; keepTtl?: boolean };

/** What running one step on a value gave: a read, a write, or the error its call rejects with. */
export type StepOutcome =
  | { readonly kind: 'read'; readonly result: unknown }
  | {
      readonly kind: 'write';
      readonly result: unknown;
      readonly next: string;
      readonly expiry: Expiry;
    }
  | { readonly kind: 'error'; readonly error: unknown };

/**
 * Run `step` on `current` and check what it returned. A throw is kept unchanged; an invalid
 * step becomes the KVError `checkAndSet` would give for it (op `update`, named `backend`).
 */
export function runStep(
  step: (current: string | null) => unknown,
  current: string | null,
  backend: string,
): StepOutcome {
  let returned: unknown;
  try {
    returned = step(current);
  } catch (error) {
    return { kind: 'error', error };
  }
  const problem = stepProblem(returned);
  if (problem !== undefined) {
    return { kind: 'error', error: new KVError({ ...problem, backend, op: 'update' }) };
  }
  const { result, next, ttl, keepTtl } = returned as {
    result: unknown;
    next?: string;
    ttl?: number;
    keepTtl?: boolean;
  };
  if (next === undefined) return { kind: 'read', result };
  return { kind: 'write', result, next, expiry: keepTtl === true ? 'keep' : (ttl ?? 0) };
}

function stepProblem(returned: unknown): ValidationProblem | undefined {
  if (typeof returned !== 'object' || returned === null) {
    return { code: 'INVALID_VALUE', detail: 'a step must return { result } or { result, next }' };
  }
  if (typeof (returned as { then?: unknown }).then === 'function') {
    // A rejected promise nobody awaits would surface as an unhandled rejection.
    if (returned instanceof Promise) returned.catch(() => undefined);
    return { code: 'INVALID_VALUE', detail: 'a step must be synchronous, not return a promise' };
  }
  const { next } = returned as { next?: unknown };
  if (next !== undefined) {
    const problem = checkValue(next, 'next');
    if (problem !== undefined) return problem;
  }
  const { ttl, keepTtl } = returned as { ttl?: unknown; keepTtl?: unknown };
  return checkWriteOptions({ ttl, keepTtl });
}
