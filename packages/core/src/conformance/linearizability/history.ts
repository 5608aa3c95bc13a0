/**
 * The shape of a recorded history: what each logical client asked a backend to do on one
 * key, when it asked, when the answer came back and what the answer was.
 */

/** One operation of the "register per key" model, with its arguments (TTL-free). */
export type RegisterOp =
  | { readonly name: 'get' }
  | { readonly name: 'set'; readonly value: string }
  | { readonly name: 'checkAndSet'; readonly expected: string | null; readonly next: string }
  | { readonly name: 'checkAndDelete'; readonly expected: string }
  | { readonly name: 'delete' }
  | { readonly name: 'increment'; readonly delta: number }
  | { readonly name: 'update'; readonly step: KnownStep };

/**
 * An `update` step the model knows, so it can replay it:
 * - `append`: store the value (absent as `""`) followed by `text`; result: the new value;
 * - `add`: add `delta` to a counter (absent as 0); result: the new count, or the string
 *   `NOT_A_COUNTER` (writing nothing) when the value is not a counter;
 * - `read`: write nothing; result: the value.
 */
export type KnownStep =
  | { readonly kind: 'append'; readonly text: string }
  | { readonly kind: 'add'; readonly delta: number }
  | { readonly kind: 'read' };

/** The answer of an increment that found no counter, or would leave the safe-integer range. */
export type CounterRefusal = 'NOT_A_COUNTER' | 'COUNTER_OVERFLOW';

/**
 * What an operation resolved with: the value for `get`, the boolean for the others, nothing
 * for `set`; for `increment` the counter's new value, or the {@link CounterRefusal} it
 * rejected with (an answer, not a failure: it tells what the key held); for `update` its
 * step's result.
 */
export type RegisterOutput = string | null | boolean | number | undefined;

/**
 * How an operation ended.
 * - `ok`: it resolved with `output`.
 * - `indeterminate`: it rejected with `indeterminate: true`; it may take effect at any time
 *   after its invocation, or never.
 * - `failed`: it rejected otherwise and took no effect; the checker ignores it.
 */
export type OpResult =
  | { readonly status: 'ok'; readonly output: RegisterOutput }
  | { readonly status: 'indeterminate'; readonly error: unknown }
  | { readonly status: 'failed'; readonly error: unknown };

/** One recorded operation. Times come from `performance.now()` (monotonic, in ms). */
export interface HistoryOp {
  /** Position in invocation order, unique within a history. */
  readonly id: number;
  /** Logical client id; a client continues under a new id after an indeterminate rejection. */
  readonly client: string;
  readonly key: string;
  readonly op: RegisterOp;
  /** Taken just before the backend was called. */
  readonly invokedAt: number;
  /** Taken once the call settled; `undefined` for indeterminate operations (open-ended). */
  readonly completedAt: number | undefined;
  readonly result: OpResult;
}
