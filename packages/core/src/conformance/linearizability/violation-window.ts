import type { HistoryOp } from './history.js';
import { ANY, type Register, UNKNOWN } from './register-model.js';
import { type SearchOp, type SearchStart, searchLinearization } from './search.js';
import { asObserved, asOpen } from './search-input.js';

/**
 * The part an op plays in a violation window:
 * - `culprit`: the op whose answer no ordering explains (the earliest such answer);
 * - `window`: an op that completed inside the window, answer as observed;
 * - `pending`: indeterminate, or still running when the culprit returned: may take effect or not;
 * - `earlier`: a write that completed before the window but overlaps it: may take effect or not.
 */
export type WindowRole = 'culprit' | 'window' | 'pending' | 'earlier';

/** One op of a violation window. */
export interface WindowEntry {
  readonly op: HistoryOp;
  readonly role: WindowRole;
}

/** A small part of a key's history that is not linearizable on its own. */
export interface ViolationWindow {
  readonly culprit: HistoryOp;
  /** In invocation order. */
  readonly entries: readonly WindowEntry[];
  /** True when the window starts from an unknown value instead of the absent key. */
  readonly startsUnknown: boolean;
}

/** A window entry with the form the search checks it in. */
export interface WindowCandidate extends WindowEntry {
  readonly search: SearchOp;
}

/** The whole prefix, starting from the absent key. */
const NO_CUT = Number.NEGATIVE_INFINITY;

/**
 * Shrink a non-linearizable key history (indeterminate and successful ops only) to a window a
 * person can read; undefined if `deadline` passes first. Each step keeps every linearization
 * of the history valid for the window (it only drops constraints, or ops that real time
 * places before the whole window), so the window failing on its own proves the violation:
 * 1. the culprit ends the shortest failing prefix (see {@link prefixAt});
 * 2. the window starts at the latest cut that still fails (see {@link windowAt});
 * 3. reads and failed conditional writes the failure does not need are removed.
 */
export function findViolationWindow(
  ops: readonly HistoryOp[],
  deadline: number,
): ViolationWindow | undefined {
  const rank = shortestFailingPrefix(ops, deadline);
  if (rank === undefined) return undefined;
  const prefix = prefixAt(ops, rank);
  const start = unknownStart(ops);
  const fails = (cut: number, removed: ReadonlySet<HistoryOp>) =>
    verdictOf(windowAt(prefix, cut, removed), deadline, cut === NO_CUT ? undefined : start);

  const none = new Set<HistoryOp>();
  let cut = NO_CUT;
  for (const candidate of cutTimes(prefix)) {
    const verdict = fails(candidate, none);
    if (verdict === 'timeout') return undefined;
    if (verdict === 'violation') {
      cut = candidate;
      break;
    }
  }
  const removed = new Set<HistoryOp>();
  for (const entry of windowAt(prefix, cut, none)) {
    if (entry.role !== 'window' || changesState(entry.op)) continue;
    removed.add(entry.op);
    const verdict = fails(cut, removed);
    if (verdict === 'timeout') return undefined;
    if (verdict !== 'violation') removed.delete(entry.op);
  }
  return {
    culprit: completionOrder(ops)[rank] as HistoryOp,
    entries: windowAt(prefix, cut, removed)
      .map(({ op, role }) => ({ op, role }))
      .sort((a, b) => a.op.id - b.op.id),
    startsUnknown: cut !== NO_CUT,
  };
}

function verdictOf(window: readonly WindowCandidate[], deadline: number, start?: SearchStart) {
  return searchLinearization(
    window.map((entry) => entry.search),
    deadline,
    start,
  );
}

/** Rank (in completion order) of the op whose completion first makes the history fail. */
function shortestFailingPrefix(ops: readonly HistoryOp[], deadline: number): number | undefined {
  let low = 0;
  let high = completionOrder(ops).length - 1; // the whole history fails
  while (low < high) {
    const middle = (low + high) >>> 1;
    const verdict = verdictOf(prefixAt(ops, middle), deadline);
    if (verdict === 'timeout') return undefined;
    if (verdict === 'violation') high = middle;
    else low = middle + 1;
  }
  return low;
}

function completionOrder(ops: readonly HistoryOp[]): HistoryOp[] {
  return ops
    .filter((op) => op.completedAt !== undefined)
    .sort((a, b) => (a.completedAt as number) - (b.completedAt as number) || a.id - b.id);
}

/**
 * The history as it stood when the `rank`-th op to complete returned (the culprit): ops
 * completed by then keep their answers; other ops invoked by then are `pending` (may take
 * effect or not), except those whose eventual answer shows they changed nothing, which are
 * left out. If the history is linearizable, so is every prefix.
 */
export function prefixAt(ops: readonly HistoryOp[], rank: number): WindowCandidate[] {
  const completed = completionOrder(ops);
  const culprit = completed[rank] as HistoryOp;
  const until = culprit.completedAt as number;
  const settled = new Set(completed.slice(0, rank + 1));
  const prefix: WindowCandidate[] = [];
  for (const op of ops) {
    if (op.invokedAt > until) continue;
    if (settled.has(op)) {
      prefix.push({ op, role: op === culprit ? 'culprit' : 'window', search: asObserved(op) });
    } else if (changesState(op)) {
      prefix.push({ op, role: 'pending', search: asOpen(op) });
    }
  }
  return prefix;
}

/** Completion times of the prefix's settled ops, latest first: where a window may start. */
function cutTimes(prefix: readonly WindowCandidate[]): number[] {
  const times = new Set(
    prefix.filter((entry) => entry.role !== 'pending').map((entry) => entry.search.completedAt),
  );
  return [...times].sort((a, b) => b - a);
}

/**
 * The part of `prefix` from time `cut` on, without the `removed` ops (reads and failed
 * conditional writes only): settled ops completed at or after the cut, every pending op, and
 * the writes that completed before the cut while a settled window op was already running
 * (they become `earlier`: may take effect or not). Every other op precedes all settled window
 * ops in real time, so starting from an unknown value covers what they did. With `cut` at
 * -Infinity the window is the whole prefix, checked from the absent key. If the history is
 * linearizable, so is every such window.
 */
export function windowAt(
  prefix: readonly WindowCandidate[],
  cut: number,
  removed: ReadonlySet<HistoryOp>,
): WindowCandidate[] {
  const kept = prefix.filter((entry) => entry.search.completedAt >= cut && !removed.has(entry.op));
  let firstCall = Number.POSITIVE_INFINITY;
  for (const entry of kept) {
    if (entry.role !== 'pending') firstCall = Math.min(firstCall, entry.op.invokedAt);
  }
  const earlier: WindowCandidate[] = prefix
    .filter(
      (entry) =>
        entry.search.completedAt < cut &&
        entry.search.completedAt >= firstCall &&
        changesState(entry.op),
    )
    .map((entry) => ({ op: entry.op, role: 'earlier', search: asOpen(entry.op) }));
  return [...kept, ...earlier];
}

/** Whether an op may have changed the key: a set, an indeterminate write, or a write that said so. */
function changesState(op: HistoryOp): boolean {
  const { op: call, result } = op;
  if (call.name === 'get' || (call.name === 'update' && call.step.kind === 'read')) return false;
  if (call.name === 'set' || result.status !== 'ok') return true;
  if (call.name === 'increment') return typeof result.output === 'number';
  if (call.name === 'update')
    return call.step.kind === 'append' || typeof result.output === 'number';
  return result.output === true;
}

/** Null plus every value an op of the key was seen writing: what an unknown start may hold. */
export function writtenValues(ops: readonly HistoryOp[]): Set<Register> {
  const values = new Set<Register>([null]);
  for (const entry of ops) {
    const { op, result } = entry;
    if (op.name === 'set') values.add(op.value);
    else if (op.name === 'checkAndSet') values.add(op.next);
    else if (result.status === 'ok' && changesState(entry) && result.output !== null) {
      values.add(String(result.output)); // a counter's value, or the value an append left
    }
  }
  return values;
}

/**
 * Where a window cut out of `ops` starts: one of the written values, or any value at all when
 * an indeterminate increment or update may have written one nobody saw.
 */
function unknownStart(ops: readonly HistoryOp[]): SearchStart {
  const unseen = ops.some(
    (entry) =>
      (entry.op.name === 'increment' || entry.op.name === 'update') &&
      entry.result.status !== 'ok' &&
      changesState(entry),
  );
  return unseen
    ? { state: ANY, possible: new Set() }
    : { state: UNKNOWN, possible: writtenValues(ops) };
}
