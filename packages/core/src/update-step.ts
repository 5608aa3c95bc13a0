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
  | { result: R; next: string; ttl?: number | undefined; keepTtl?: boolean | undefined };

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
  try {
    const returned = step(current);
    const shapeProblem = shapeProblemOf(returned);
    if (shapeProblem !== undefined) return invalid(shapeProblem, backend);
    // Each field is read once (inside the try: a getter may throw), then checked.
    const { result, next, ttl, keepTtl } = returned as Record<string, unknown>;
    const problem =
      (next === undefined ? undefined : checkValue(next, 'next')) ??
      checkWriteOptions({ ttl, keepTtl });
    if (problem !== undefined) return invalid(problem, backend);
    if (next === undefined) return { kind: 'read', result };
    const expiry = keepTtl === true ? 'keep' : ((ttl as number | undefined) ?? 0);
    return { kind: 'write', result, next: next as string, expiry };
  } catch (error) {
    return { kind: 'error', error };
  }
}

function invalid(problem: ValidationProblem, backend: string): StepOutcome {
  return { kind: 'error', error: new KVError({ ...problem, backend, op: 'update' }) };
}

/** What is wrong with the shape of what a step returned: not an object, or a thenable. */
function shapeProblemOf(returned: unknown): ValidationProblem | undefined {
  if (typeof returned !== 'object' || returned === null) {
    return { code: 'INVALID_VALUE', detail: 'a step must return { result } or { result, next }' };
  }
  if (typeof (returned as { then?: unknown }).then === 'function') {
    // A rejected promise nobody awaits would surface as an unhandled rejection.
    if (returned instanceof Promise) returned.catch(() => undefined);
    return { code: 'INVALID_VALUE', detail: 'a step must be synchronous, not return a promise' };
  }
  return undefined;
}
