import type { RegisterOp, RegisterOutput } from './history.js';

/** What one key holds: its value, or null when absent. */
export type Register = string | null;

/**
 * A register whose content is not known, only that it is one of a set of values. Windows of
 * a history cut out of its middle start from it (see `violation-window.ts`).
 */
export const UNKNOWN: unique symbol = Symbol('unknown register');

/** A state of the model. */
export type ModelState = Register | typeof UNKNOWN;

/** Returned by {@link step} when the operation cannot have produced its output from that state. */
export const ILLEGAL: unique symbol = Symbol('illegal');

/**
 * The sequential specification of one key: apply `op` to `state` and return the next state,
 * or {@link ILLEGAL} when the op could not have returned `output` there. An `open` op (its
 * output unknown) always applies. From {@link UNKNOWN}, an observed value must be one of
 * `possible`, and the result over-approximates (stays UNKNOWN) when it is not determined:
 * this only ever allows more, so a window that still fails from UNKNOWN proves a violation.
 */
export function step(
  state: ModelState,
  op: RegisterOp,
  output: RegisterOutput,
  open: boolean,
  possible: ReadonlySet<Register>,
): ModelState | typeof ILLEGAL {
  if (state === UNKNOWN) return stepFromUnknown(op, output, open, possible);
  switch (op.name) {
    case 'get':
      return open || output === state ? state : ILLEGAL;
    case 'set':
      return op.value;
    case 'checkAndSet':
      return conditional(state === op.expected, op.next, state, output, open);
    case 'checkAndDelete':
      return conditional(state === op.expected, null, state, output, open);
    case 'delete':
      if (open) return null;
      return output === (state !== null) ? null : ILLEGAL;
  }
}

/** A conditional write: `matches` decides whether it stored `next`, which `output` must agree with. */
function conditional(
  matches: boolean,
  next: Register,
  state: Register,
  output: RegisterOutput,
  open: boolean,
): ModelState | typeof ILLEGAL {
  if (open) return matches ? next : state;
  if (output !== matches) return ILLEGAL;
  return matches ? next : state;
}

function stepFromUnknown(
  op: RegisterOp,
  output: RegisterOutput,
  open: boolean,
  possible: ReadonlySet<Register>,
): ModelState | typeof ILLEGAL {
  switch (op.name) {
    case 'get':
      if (open) return UNKNOWN;
      return possible.has(output as Register) ? (output as Register) : ILLEGAL;
    case 'set':
      return op.value;
    case 'checkAndSet':
      if (open || output === false) return UNKNOWN;
      return possible.has(op.expected) ? op.next : ILLEGAL;
    case 'checkAndDelete':
      if (open || output === false) return UNKNOWN;
      return possible.has(op.expected) ? null : ILLEGAL;
    case 'delete':
      return null;
  }
}
