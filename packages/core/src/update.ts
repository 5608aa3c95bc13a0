import type { KVBackend, OperationOptions } from './backend.js';
import { KVError } from './errors.js';
import { enqueue } from './update-combiner.js';
import type { UpdateStep } from './update-step.js';
import { checkKey, checkOperationOptions, type ValidationProblem } from './validation.js';

export type { UpdateStep } from './update-step.js';

/** Options of {@link update}. */
export interface UpdateOptions extends OperationOptions {
  /**
   * Most commits one call makes before it gives up with `CONFLICT` (default 64; a positive
   * safe integer). A commit that failed on a remembered value rather than a fresh read is
   * not counted.
   */
  maxAttempts?: number | undefined;
}

const DEFAULT_MAX_ATTEMPTS = 64;

/**
 * Read `key`, let `step` decide the result and the value to store, and store it atomically
 * with `checkAndSet`, retrying on a concurrent write. Works on any {@link KVBackend}: it uses
 * only `get` and `checkAndSet`. `step` must be pure and synchronous: it may run several times.
 *
 * **Combining.** Concurrent calls on the same key and backend object in this process form a
 * batch: the calls made while the key's previous batch runs (or in the same synchronous run as
 * the first) share one read and one `checkAndSet`. Their steps run in call order, each on the
 * previous writing step's `next`; the commit stores the last `next` with the expiry the
 * sequence implies (the last writing step's `ttl`, or no expiry; a `keepTtl` step keeps the
 * expiry before it; all `keepTtl` keeps the stored one). On a conflict the batch re-reads and
 * re-runs. A batch in which no step writes answers from a `get` issued after every member was
 * called. The value a batch committed is remembered and may stand in for the next batch's read
 * (a stale one only costs a failed `checkAndSet`, which is not counted as a conflict).
 *
 * Resolves with this call's step's `result` once the batch committed. Rejects with:
 * - what `step` threw, unchanged, or the `KVError` `checkAndSet` would give for what it
 *   returned (`INVALID_VALUE` for a bad `next`, a thenable or a non-object, `INVALID_TTL` for a
 *   bad `ttl`/`keepTtl`; op `update`), after the batch committed; later steps of the batch see
 *   the value before this one;
 * - `INVALID_KEY`, `INVALID_VALUE` (`step` is not a function), `INVALID_CONFIG` (bad options or
 *   `maxAttempts`) or `ABORTED` (already-aborted signal) before any I/O;
 * - `CONFLICT` (op `update`; not unhealthy, not indeterminate: nothing of this call was written)
 *   when its `maxAttempts`-th commit conflicts;
 * - `ABORTED` / `TIMEOUT` (op `update`) when `signal` or `timeout` ends the call. They bound the
 *   whole call, every read and commit included. Such a rejection is `indeterminate` only when
 *   the call leaves while a commit carrying its step's write is in flight; before that (and
 *   for a step that wrote nothing) nothing of it was sent. A timeout is `unhealthy`, as for
 *   every operation.
 * - the error of the underlying `get` or `checkAndSet`, unchanged.
 *
 * `update` cannot know whether the backend redacts keys, so its own errors never name the key.
 * Nothing throws synchronously.
 *
 * @example
 * const hits = await update(kv, 'hits', (current) => {
 *   const next = String(Number(current ?? '0') + 1);
 *   return { result: Number(next), next, keepTtl: true };
 * });
 */
export function update<R>(
  kv: KVBackend,
  key: string,
  step: (current: string | null) => UpdateStep<R>,
  options?: UpdateOptions,
): Promise<R> {
  const backend = backendName(kv);
  const problem = argumentProblem(kv, key, step, options);
  if (problem !== undefined) {
    return Promise.reject(new KVError({ ...problem, backend, op: 'update' }));
  }
  if (options?.signal?.aborted) {
    const detail = 'the signal was already aborted';
    return Promise.reject(new KVError({ code: 'ABORTED', backend, op: 'update', detail }));
  }
  return new Promise<R>((resolve, reject) => {
    enqueue(
      kv,
      key,
      {
        step,
        maxAttempts: options?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        resolve: resolve as (result: unknown) => void,
        reject,
        conflicts: 0,
        state: 'waiting',
        batch: undefined,
        outcome: undefined,
      },
      options,
    );
  });
}

/** The first bad argument, in argument order. */
function argumentProblem(
  kv: unknown,
  key: unknown,
  step: unknown,
  options: unknown,
): ValidationProblem | undefined {
  const backend = kv as Partial<KVBackend> | null;
  if (
    typeof backend !== 'object' ||
    backend === null ||
    typeof backend.get !== 'function' ||
    typeof backend.checkAndSet !== 'function'
  ) {
    return { code: 'INVALID_CONFIG', detail: 'kv must be a KVBackend' };
  }
  const keyProblem = checkKey(key);
  if (keyProblem !== undefined) return keyProblem;
  if (typeof step !== 'function') {
    return { code: 'INVALID_VALUE', detail: 'step must be a function' };
  }
  const optionsProblem = checkOperationOptions(options);
  if (optionsProblem !== undefined) return optionsProblem;
  const maxAttempts = (options as UpdateOptions | undefined)?.maxAttempts;
  if (maxAttempts !== undefined && !(Number.isSafeInteger(maxAttempts) && maxAttempts > 0)) {
    return {
      code: 'INVALID_CONFIG',
      detail: 'options.maxAttempts must be a positive safe integer',
    };
  }
  return undefined;
}

/** The backend's name for errors, whatever `kv` is. */
function backendName(kv: unknown): string {
  const name = (kv as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'unknown';
}
