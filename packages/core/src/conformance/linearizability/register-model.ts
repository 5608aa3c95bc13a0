import { type Applied, incrementOn, runKnownStep } from './counter-ops.js';
import type { KnownStep, RegisterOp, RegisterOutput } from './history.js';

/** What one key holds: its value, or null when absent. */
export type Register = string | null;

/**
 * A register whose content is not known, only that it is one of a set of values. Windows of
 * a history cut out of its middle start from it (see `violation-window.ts`).
 */
export const UNKNOWN: unique symbol = Symbol('unknown register');

/**
 * A register that may hold any value at all: what an unknown register holds after an
 * indeterminate increment or update, whose written value nobody saw.
 */
export const ANY: unique symbol = Symbol('any register');

/** A state of the model. */
export type ModelState = Register | typeof UNKNOWN | typeof ANY;

/** The values {@link ANY} may hold. */
const EVERYTHING: Possible = { has: () => true };

/** The values an unknown register may hold. */
type Possible = Pick<ReadonlySet<Register>, 'has'>;

/** Returned by {@link step} when the operation cannot have produced its output from that state. */
export const ILLEGAL: unique symbol = Symbol('illegal');

/**
 * The sequential specification of one key: apply `op` to `state` and return the next state,
 * or {@link ILLEGAL} when the op could not have returned `output` there. An `open` op (its
 * output unknown) always applies. From {@link UNKNOWN}, an observed value must be one of
 * `possible`, and the result over-approximates (stays UNKNOWN, or becomes {@link ANY} after
 * an indeterminate increment or update) when it is not determined: this only ever allows
 * more, so a window that still fails from UNKNOWN proves a violation.
 */
export function step(
  state: ModelState,
  op: RegisterOp,
  output: RegisterOutput,
  open: boolean,
  possible: Possible,
): ModelState | typeof ILLEGAL {
  if (state === UNKNOWN) return stepFromUnknown(op, output, open, UNKNOWN, possible);
  if (state === ANY) return stepFromUnknown(op, output, open, ANY, EVERYTHING);
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
    case 'increment':
      return replayed(incrementOn(state, op.delta), output, open);
    case 'update':
      return replayed(runKnownStep(op.step, state), output, open);
  }
}

/** An op whose answer the model computes: `output` must be that answer. */
function replayed(
  applied: Applied<RegisterOutput>,
  output: RegisterOutput,
  open: boolean,
): ModelState | typeof ILLEGAL {
  return open || output === applied.output ? applied.next : ILLEGAL;
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
  unknown: typeof UNKNOWN | typeof ANY,
  possible: Possible,
): ModelState | typeof ILLEGAL {
  switch (op.name) {
    case 'get':
      if (open) return unknown;
      return possible.has(output as Register) ? (output as Register) : ILLEGAL;
    case 'set':
      return op.value;
    case 'checkAndSet':
      if (open || output === false) return unknown;
      return possible.has(op.expected) ? op.next : ILLEGAL;
    case 'checkAndDelete':
      if (open || output === false) return unknown;
      return possible.has(op.expected) ? null : ILLEGAL;
    case 'delete':
      return null;
    case 'increment':
      if (open) return ANY;
      return afterCounterAnswer(output, unknown);
    case 'update':
      if (open) return op.step.kind === 'read' ? unknown : ANY;
      return afterKnownStep(op.step, output, unknown, possible);
  }
}

/**
 * The state after a known step answered `output` from an unknown value. A read must have
 * seen a possible value; a write's answer fixes the new value (where it came from is not
 * checked, which only allows more).
 */
function afterKnownStep(
  step: KnownStep,
  output: RegisterOutput,
  unknown: typeof UNKNOWN | typeof ANY,
  possible: Possible,
): ModelState | typeof ILLEGAL {
  switch (step.kind) {
    case 'read':
      return possible.has(output as Register) ? (output as Register) : ILLEGAL;
    case 'append':
      return typeof output === 'string' ? output : ILLEGAL;
    case 'add':
      return afterCounterAnswer(output, unknown);
  }
}

/** A counter's new value fixes the state; a refusal leaves it as it was. */
function afterCounterAnswer(
  output: RegisterOutput,
  unknown: typeof UNKNOWN | typeof ANY,
): ModelState | typeof ILLEGAL {
  if (typeof output === 'number') return String(output);
  return output === 'NOT_A_COUNTER' || output === 'COUNTER_OVERFLOW' ? unknown : ILLEGAL;
}
