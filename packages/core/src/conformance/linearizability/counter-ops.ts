import { parseCounter } from '../../counter.js';
import type { UpdateStep } from '../../update-step.js';
import type { CounterRefusal, KnownStep } from './history.js';

/** What an op does to a register: its answer and the value it leaves. */
export interface Applied<T> {
  readonly output: T;
  readonly next: string | null;
}

/** `increment(delta)` on `current`, as the contract specifies it (absent counts as 0). */
export function incrementOn(
  current: string | null,
  delta: number,
): Applied<number | CounterRefusal> {
  const stored = current === null ? 0 : parseCounter(current);
  if (stored === undefined) return { output: 'NOT_A_COUNTER', next: current };
  const value = stored + delta;
  if (!Number.isSafeInteger(value)) return { output: 'COUNTER_OVERFLOW', next: current };
  return { output: value, next: String(value) };
}

/** A known `update` step on `current`: its result and the value it leaves. */
export function runKnownStep(
  step: KnownStep,
  current: string | null,
): Applied<string | number | null> {
  switch (step.kind) {
    case 'append': {
      const next = (current ?? '') + step.text;
      return { output: next, next };
    }
    case 'add': {
      const { output, next } = incrementOn(current, step.delta);
      return { output, next };
    }
    case 'read':
      return { output: current, next: current };
  }
}

/** The known step as the function `update` runs. */
export function stepFunction(
  step: KnownStep,
): (current: string | null) => UpdateStep<string | number | null> {
  return (current) => {
    const { output, next } = runKnownStep(step, current);
    // A step that leaves the value as it is writes nothing, as the model assumes.
    return next === current ? { result: output } : { result: output, next: next as string };
  };
}
