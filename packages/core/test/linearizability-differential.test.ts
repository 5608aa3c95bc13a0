import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../src/conformance/linearizability/check.js';
import type {
  HistoryOp,
  KnownStep,
  RegisterOp,
  RegisterOutput,
} from '../src/conformance/linearizability/history.js';
import {
  prefixAt,
  type ViolationWindow,
  type WindowEntry,
  windowAt,
  writtenValues,
} from '../src/conformance/linearizability/violation-window.js';
import { failed, history, type OpSpec } from './linearizability-histories.js';

const VALUES = ['a', 'b', '1', '2'];
const KEYS = ['x', 'x', 'x', 'y'];

/** The sequential semantics, written out plainly: what `op` returns on `state` and leaves. */
function apply(
  state: string | null,
  op: RegisterOp,
): { output: RegisterOutput; next: string | null } {
  switch (op.name) {
    case 'get':
      return { output: state, next: state };
    case 'set':
      return { output: undefined, next: op.value };
    case 'checkAndSet':
      return state === op.expected
        ? { output: true, next: op.next }
        : { output: false, next: state };
    case 'checkAndDelete':
      return state === op.expected ? { output: true, next: null } : { output: false, next: state };
    case 'delete':
      return { output: state !== null, next: null };
    case 'increment':
      return add(state, op.delta);
    case 'update':
      switch (op.step.kind) {
        case 'read':
          return { output: state, next: state };
        case 'append':
          return { output: (state ?? '') + op.step.text, next: (state ?? '') + op.step.text };
        case 'add':
          return add(state, op.step.delta);
      }
  }
}

/** A counter's step: absent counts as 0; a value that is not a canonical integer is refused. */
function add(state: string | null, delta: number): { output: RegisterOutput; next: string | null } {
  if (state !== null && !/^(0|-?[1-9][0-9]*)$/.test(state)) {
    return { output: 'NOT_A_COUNTER', next: state };
  }
  const value = Number(state ?? '0') + delta;
  return { output: value, next: String(value) };
}

/**
 * Brute force: try every order of the ops (every subset of the indeterminate ones) that
 * respects real time, on all keys at once, starting from `initial`.
 */
function bruteForce(
  ops: readonly HistoryOp[],
  initial: ReadonlyMap<string, string | null>,
): boolean {
  const live = ops.filter((op) => op.result.status !== 'failed');
  const required = live.filter((op) => op.completedAt !== undefined).length;
  const placed = new Set<HistoryOp>();
  const state = new Map(initial);
  const search = (placedRequired: number): boolean => {
    if (placedRequired === required) return true;
    for (const op of live) {
      if (placed.has(op)) continue;
      const blocked = live.some(
        (other) =>
          !placed.has(other) && other.completedAt !== undefined && other.completedAt < op.invokedAt,
      );
      if (blocked) continue;
      const before = state.get(op.key) ?? null;
      const { output, next } = apply(before, op.op);
      if (op.result.status === 'ok' && op.result.output !== output) continue;
      placed.add(op);
      state.set(op.key, next);
      const found = search(placedRequired + (op.completedAt === undefined ? 0 : 1));
      state.set(op.key, before);
      placed.delete(op);
      if (found) return true;
    }
    return false;
  };
  return search(0);
}

const registerOp = fc.oneof(
  fc.constant<RegisterOp>({ name: 'get' }),
  fc.constantFrom(...VALUES).map((value): RegisterOp => ({ name: 'set', value })),
  fc
    .tuple(fc.constantFrom(null, ...VALUES), fc.constantFrom(...VALUES))
    .map(([expected, next]): RegisterOp => ({ name: 'checkAndSet', expected, next })),
  fc.constantFrom(...VALUES).map((expected): RegisterOp => ({ name: 'checkAndDelete', expected })),
  fc.constant<RegisterOp>({ name: 'delete' }),
  fc.constantFrom(1, -1, 2).map((delta): RegisterOp => ({ name: 'increment', delta })),
  fc
    .constantFrom<KnownStep>(
      { kind: 'append', text: 'a' },
      { kind: 'add', delta: 1 },
      { kind: 'read' },
    )
    .map((step): RegisterOp => ({ name: 'update', step })),
);

const shape = fc.record({
  key: fc.constantFrom(...KEYS),
  op: registerOp,
  invokedAt: fc.integer({ min: 0, max: 12 }),
  duration: fc.integer({ min: 0, max: 6 }),
  fate: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'indeterminate', 'failed'),
  /** Where in its interval the op takes effect (simulated histories), or which answer it gives. */
  point: fc.double({ min: 0, max: 1, noNaN: true }),
  answer: fc.constantFrom(null, true, false, ...VALUES, 1, 2, 3, 'NOT_A_COUNTER', 'aa', '1a'),
});
type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

function toSpec(s: Shape, index: number, output: RegisterOutput): OpSpec {
  const completedAt = s.invokedAt + s.duration;
  const base: OpSpec = {
    client: `c${index}`,
    key: s.key,
    op: s.op,
    invokedAt: s.invokedAt,
    completedAt,
    result: { status: 'ok', output },
  };
  if (s.fate === 'failed') return failed(base);
  if (s.fate === 'indeterminate') {
    return {
      ...base,
      completedAt: undefined,
      result: { status: 'indeterminate', error: new Error('lost') },
    };
  }
  return base;
}

/** An answer of the op's type drawn at random. */
function randomAnswer(s: Shape): RegisterOutput {
  const { answer } = s;
  switch (s.op.name) {
    case 'get':
      return typeof answer === 'string' || answer === null ? answer : null;
    case 'set':
      return undefined;
    case 'increment':
      return typeof answer === 'number' || answer === 'NOT_A_COUNTER' ? answer : 1;
    case 'update':
      return typeof answer === 'boolean' ? 'a' : answer;
    default:
      return typeof answer === 'boolean' ? answer : false;
  }
}

/** Answers drawn at random: mostly not linearizable. */
const randomHistory = fc.array(shape, { minLength: 1, maxLength: 7 }).map((shapes) =>
  history(
    ...shapes.map((s, i) => {
      return toSpec(s, i, randomAnswer(s));
    }),
  ),
);

/**
 * Answers from a real sequential run (each op takes effect at a point inside its interval),
 * then maybe one answer corrupted: mostly linearizable, sometimes a near miss.
 */
const simulatedHistory = fc
  .tuple(fc.array(shape, { minLength: 1, maxLength: 7 }), fc.boolean(), fc.nat())
  .map(([shapes, corrupt, which]) => {
    const byPoint = shapes
      .map((s, index) => ({ s, index, at: s.invokedAt + s.point * s.duration }))
      .sort((a, b) => a.at - b.at);
    const state = new Map<string, string | null>();
    const outputs: RegisterOutput[] = [];
    for (const { s, index } of byPoint) {
      const { output, next } = apply(state.get(s.key) ?? null, s.op);
      outputs[index] = output;
      if (s.fate !== 'failed' && !(s.fate === 'indeterminate' && s.point < 0.5))
        state.set(s.key, next);
    }
    const target = which % shapes.length;
    if (corrupt) outputs[target] = corrupted(outputs[target], shapes[target] as Shape);
    return history(...shapes.map((s, i) => toSpec(s, i, outputs[i])));
  });

function corrupted(output: RegisterOutput, s: Shape): RegisterOutput {
  if (typeof output === 'boolean') return !output;
  if (typeof output === 'number') return output + 1;
  if (s.op.name === 'increment') return 1;
  if (s.op.name === 'update')
    return output === s.answer ? `${output}?` : (s.answer as RegisterOutput);
  if (s.op.name === 'get') return output === s.answer ? null : (s.answer as string | null);
  return output;
}

/**
 * The values a window's unknown start may hold: the written ones, or, when an indeterminate
 * increment or update may have written one nobody saw (the window then starts from any
 * value), every value the history mentions as well.
 */
function unknownStarts(ops: readonly HistoryOp[]): (string | null)[] {
  const starts = writtenValues(ops);
  const unseen = ops.some(
    ({ op, result }) =>
      result.status === 'indeterminate' &&
      (op.name === 'increment' || (op.name === 'update' && op.step.kind !== 'read')),
  );
  if (!unseen) return [...starts];
  for (const { op, result } of ops) {
    if (op.name === 'checkAndSet' || op.name === 'checkAndDelete') starts.add(op.expected);
    if (result.status !== 'ok') continue;
    const { output } = result;
    if (typeof output === 'string') starts.add(output);
    if (typeof output === 'number') starts.add(String(output));
  }
  return [...starts];
}

/** The window on its own, for the brute force: pending and earlier ops may take effect or not. */
function windowHistory(entries: readonly WindowEntry[]): HistoryOp[] {
  return entries.map(({ op, role }) =>
    role === 'culprit' || role === 'window'
      ? op
      : { ...op, completedAt: undefined, result: { status: 'indeterminate', error: undefined } },
  );
}

describe('checkLinearizability agrees with a brute-force search', () => {
  it('on thousands of small random histories, and its windows fail on their own', () => {
    const verdicts = { linearizable: 0, violation: 0 };
    fc.assert(
      fc.property(fc.oneof(randomHistory, simulatedHistory), (ops) => {
        const result = checkLinearizability(ops);
        expect(result.verdict).not.toBe('inconclusive');
        expect(result.verdict === 'linearizable').toBe(bruteForce(ops, new Map()));
        if (result.verdict !== 'violation') {
          verdicts.linearizable++;
          return;
        }
        verdicts.violation++;
        const window = result.window as ViolationWindow;
        const key = window.culprit.key;
        // An unknown start holds null or a value some op of the key wrote (failed ops wrote nothing).
        const checked = ops.filter((op) => op.key === key && op.result.status !== 'failed');
        const starts = window.startsUnknown ? unknownStarts(checked) : [null];
        for (const start of starts) {
          expect(bruteForce(windowHistory(window.entries), new Map([[key, start]]))).toBe(false);
        }
      }),
      { numRuns: 5000 },
    );
    // Both answers must be common, or the agreement says little.
    expect(verdicts.linearizable).toBeGreaterThan(1000);
    expect(verdicts.violation).toBeGreaterThan(1000);
  });
});

describe('violation windows', () => {
  it('stay linearizable for every prefix, cut and removal when the history is', () => {
    const keyHistory = simulatedHistory.map((ops) => ops.filter((op) => op.key === 'x'));
    let checked = 0;
    fc.assert(
      fc.property(
        keyHistory,
        fc.nat(),
        fc.nat(),
        fc.array(fc.boolean()),
        (all, rankSeed, cutSeed, removals) => {
          const ops = all.filter((op) => op.result.status !== 'failed');
          const completed = ops.filter((op) => op.completedAt !== undefined);
          if (completed.length === 0 || !bruteForce(ops, new Map())) return;
          const prefix = prefixAt(ops, rankSeed % completed.length);
          const cuts = [
            Number.NEGATIVE_INFINITY,
            ...prefix.map((entry) => entry.op.completedAt ?? 0),
          ];
          const cut = cuts[cutSeed % cuts.length] as number;
          const removable = prefix.filter(
            ({ op, role }) =>
              role === 'window' &&
              (op.op.name === 'get' ||
                (op.op.name === 'update' && op.op.step.kind === 'read') ||
                (op.result.status === 'ok' &&
                  (op.result.output === false || op.result.output === 'NOT_A_COUNTER'))),
          );
          const removed = new Set(removable.filter((_, i) => removals[i]).map((entry) => entry.op));
          const window = windowHistory(windowAt(prefix, cut, removed));
          const starts = cut === Number.NEGATIVE_INFINITY ? [null] : unknownStarts(ops);
          expect(starts.some((start) => bruteForce(window, new Map([['x', start]])))).toBe(true);
          checked++;
        },
      ),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(1000);
  });
});
