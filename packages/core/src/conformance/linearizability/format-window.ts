import type { HistoryOp, KnownStep, RegisterOp } from './history.js';
import type { ViolationWindow, WindowEntry } from './violation-window.js';

/** Longest value shown in full; longer ones are cut with an ellipsis. */
const MAX_VALUE_CHARS = 40;

/**
 * Render a violation window as a table a person can read: one row per op with its logical
 * client, call, answer, and times in ms since `origin` (the history's first invocation).
 */
export function formatViolationWindow(
  key: string,
  window: ViolationWindow,
  origin: number,
): string {
  const { culprit } = window;
  const start = window.startsUnknown
    ? 'starting from whatever value the ops before it left'
    : 'starting from the absent key';
  return [
    `Key ${show(key)}: no order of the operations explains op #${culprit.id} ` +
      `(${culprit.client} ${describeCall(culprit.op)} -> ${describeAnswer(culprit)}).`,
    `Smallest window that fails on its own (${window.entries.length} ops, ${start}; times in ms):`,
    formatOpTable(window.entries, origin),
  ].join('\n');
}

/** A table of ops, one row each; times in ms since `origin`. */
export function formatOpTable(entries: readonly WindowEntry[], origin: number): string {
  const rows = entries.map((entry) => row(entry, origin));
  const header = ['', 'op', 'client', 'call', 'answer', 'invoked', 'returned', ''];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => (cells[column] as string).length)),
  );
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function row(entry: WindowEntry, origin: number): string[] {
  const { op } = entry;
  return [
    entry.role === 'culprit' ? '>' : '',
    `#${op.id}`,
    op.client,
    describeCall(op.op),
    describeAnswer(op),
    time(op.invokedAt, origin),
    op.completedAt === undefined ? '?' : time(op.completedAt, origin),
    NOTES[entry.role](op),
  ];
}

const NOTES: Record<WindowEntry['role'], (op: HistoryOp) => string> = {
  culprit: () => '<- this answer cannot be explained',
  window: () => '',
  pending: (op) =>
    op.completedAt === undefined
      ? 'indeterminate: may take effect after its call, or never'
      : 'returned after the culprit: may take effect or not',
  earlier: () => 'returned before the window: may take effect or not',
};

/** `checkAndSet("a", "b")` style text for an op's call (the key is in the header). */
export function describeCall(op: RegisterOp): string {
  switch (op.name) {
    case 'get':
    case 'delete':
      return `${op.name}()`;
    case 'set':
      return `set(${show(op.value)})`;
    case 'checkAndSet':
      return `checkAndSet(${show(op.expected)}, ${show(op.next)})`;
    case 'checkAndDelete':
      return `checkAndDelete(${show(op.expected)})`;
    case 'increment':
      return `increment(${op.delta})`;
    case 'update':
      return `update(${describeStep(op.step)})`;
  }
}

function describeStep(step: KnownStep): string {
  switch (step.kind) {
    case 'append':
      return `append ${show(step.text)}`;
    case 'add':
      return `add ${step.delta}`;
    case 'read':
      return 'read';
  }
}

/** The answer an op got: its output, `ok` for set, or the rejection's code. */
export function describeAnswer(op: HistoryOp): string {
  if (op.result.status === 'ok') {
    return op.op.name === 'set' ? 'ok' : show(op.result.output as string | boolean | number | null);
  }
  const code = (op.result.error as { code?: unknown } | null)?.code;
  return `${op.result.status}${typeof code === 'string' ? ` (${code})` : ''}`;
}

function show(value: string | boolean | number | null): string {
  if (typeof value !== 'string') return String(value);
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function time(at: number, origin: number): string {
  return (at - origin).toFixed(3);
}
