import { performance } from 'node:perf_hooks';
import type { RegisterOp, RegisterOutput } from './history.js';
import { ILLEGAL, type ModelState, type Register, step } from './register-model.js';

/** One operation of a single key's history, as the search sees it. */
export interface SearchOp {
  readonly op: RegisterOp;
  /** Ignored when the op is open. */
  readonly output: RegisterOutput;
  readonly invokedAt: number;
  /** `Infinity` for an open op: it may take effect at any time after `invokedAt`, or never. */
  readonly completedAt: number;
}

/** What the search concluded, or that it ran out of time. */
export type SearchOutcome = 'linearizable' | 'violation' | 'timeout';

/** Where the search starts from. */
export interface SearchStart {
  readonly state: ModelState;
  /** The values an UNKNOWN state may hold. */
  readonly possible: ReadonlySet<Register>;
}

const ABSENT_START: SearchStart = { state: null, possible: new Set() };

/** How many steps run between two looks at the clock. */
const CLOCK_EVERY = 1024;

/**
 * Decide whether one key's history is linearizable: the Wing & Gong search with Lowe's
 * memoization, as Porcupine implements it. Calls and returns form a list in time order; the
 * search linearizes the earliest pending call it can, backtracks when it meets the return of
 * an op it has not linearized, and never revisits a (set of linearized ops, state) pair.
 * Open ops need not be linearized at all, and are not where they would change nothing. Gives
 * up with `timeout` once `deadline` (a `performance.now()` value) has passed.
 */
export function searchLinearization(
  ops: readonly SearchOp[],
  deadline: number,
  start: SearchStart = ABSENT_START,
): SearchOutcome {
  const list = new EventList(ops);
  const seen = new VisitedSet(ops.length);
  const linearized: number[] = [];
  const stateBefore: ModelState[] = [];
  let state = start.state;
  let unlinearizedCompleted = ops.filter((op) => op.completedAt !== Infinity).length;
  let event = list.first();
  let steps = 0;

  while (unlinearizedCompleted > 0) {
    if (++steps % CLOCK_EVERY === 0 && performance.now() > deadline) return 'timeout';
    const index = event === END ? -1 : list.opOf(event);
    if (index >= 0 && list.isCall(event)) {
      const candidate = ops[index] as SearchOp;
      const open = candidate.completedAt === Infinity;
      const next = step(state, candidate.op, candidate.output, open, start.possible);
      // An open op that would change nothing here (a checkAndSet whose expected value is not
      // the state) is the same as one never linearized, which the search tries anyway:
      // linearizing it too would double the sets to visit for every such op pending.
      const noEffect = open && next === state;
      if (next !== ILLEGAL && !noEffect && seen.addIfNew(index, next)) {
        linearized.push(index);
        stateBefore.push(state);
        state = next;
        list.lift(index);
        if (!open) unlinearizedCompleted--;
        event = list.first();
      } else {
        event = list.next(event);
      }
      continue;
    }
    // The return of an op we have not linearized: undo the latest choice and try the next one.
    const undone = linearized.pop();
    if (undone === undefined) return 'violation';
    state = stateBefore.pop() as ModelState;
    seen.forget(undone);
    list.unlift(undone);
    if ((ops[undone] as SearchOp).completedAt !== Infinity) unlinearizedCompleted++;
    event = list.next(list.callOf(undone));
  }
  return 'linearizable';
}

const END = -1;

/**
 * The calls and returns of a history as a doubly linked list in time order. A call and a
 * return at the same instant count as concurrent (the call sorts first). Lifting an op
 * unlinks its call and return; unlifting in reverse order restores them.
 */
class EventList {
  readonly #next: Int32Array;
  readonly #prev: Int32Array;
  /** Event -> index of its op. */
  readonly #op: Int32Array;
  readonly #isCall: Uint8Array;
  readonly #call: Int32Array;
  readonly #return: Int32Array;
  readonly #head: number;

  constructor(ops: readonly SearchOp[]) {
    const events: { time: number; call: boolean; op: number }[] = [];
    ops.forEach((op, index) => {
      events.push({ time: op.invokedAt, call: true, op: index });
      if (op.completedAt !== Infinity)
        events.push({ time: op.completedAt, call: false, op: index });
    });
    events.sort((a, b) => a.time - b.time || Number(b.call) - Number(a.call) || a.op - b.op);
    const size = events.length;
    this.#head = size;
    this.#next = new Int32Array(size + 1);
    this.#prev = new Int32Array(size + 1);
    this.#op = new Int32Array(size);
    this.#isCall = new Uint8Array(size);
    this.#call = new Int32Array(ops.length);
    this.#return = new Int32Array(ops.length).fill(END);
    events.forEach((event, position) => {
      this.#op[position] = event.op;
      this.#isCall[position] = event.call ? 1 : 0;
      if (event.call) this.#call[event.op] = position;
      else this.#return[event.op] = position;
      this.#prev[position] = position === 0 ? this.#head : position - 1;
      this.#next[position] = position === size - 1 ? END : position + 1;
    });
    this.#next[this.#head] = size === 0 ? END : 0;
  }

  first(): number {
    return this.#next[this.#head] as number;
  }

  next(event: number): number {
    return this.#next[event] as number;
  }

  opOf(event: number): number {
    return this.#op[event] as number;
  }

  isCall(event: number): boolean {
    return this.#isCall[event] === 1;
  }

  callOf(op: number): number {
    return this.#call[op] as number;
  }

  lift(op: number): void {
    this.#unlink(this.#call[op] as number);
    const ret = this.#return[op] as number;
    if (ret !== END) this.#unlink(ret);
  }

  unlift(op: number): void {
    const ret = this.#return[op] as number;
    if (ret !== END) this.#relink(ret);
    this.#relink(this.#call[op] as number);
  }

  #unlink(event: number): void {
    const prev = this.#prev[event] as number;
    const next = this.#next[event] as number;
    this.#next[prev] = next;
    if (next !== END) this.#prev[next] = prev;
  }

  #relink(event: number): void {
    const prev = this.#prev[event] as number;
    const next = this.#next[event] as number;
    this.#next[prev] = event;
    if (next !== END) this.#prev[next] = event;
  }
}

/**
 * The (set of linearized ops, state) pairs the search has reached: the current set as a
 * bitset with an incrementally maintained hash (a random 32-bit word per op, XORed), and each
 * reached pair as a copy of the bitset in one growing pool, bucketed by that hash. The pool
 * keeps the garbage collector out of the hot loop.
 */
class VisitedSet {
  readonly #bits: Uint32Array;
  readonly #salt: Uint32Array;
  readonly #words: number;
  /** Bucket of entry numbers per hash; a lone entry is stored unwrapped. */
  readonly #buckets = new Map<number, number | number[]>();
  readonly #states: ModelState[] = [];
  #pool: Uint32Array;
  #hash = 0;

  constructor(size: number) {
    this.#words = Math.max(1, Math.ceil(size / 32));
    this.#bits = new Uint32Array(this.#words);
    this.#pool = new Uint32Array(this.#words * 64);
    this.#salt = new Uint32Array(size);
    let seed = 0x9e3779b9;
    for (let i = 0; i < size; i++) {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      this.#salt[i] = seed ^ (seed >>> 13);
    }
  }

  /** Mark op `index` linearized; true (and remembered) when that set with `state` is new. */
  addIfNew(index: number, state: ModelState): boolean {
    this.#toggle(index);
    const bucket = this.#buckets.get(this.#hash);
    if (bucket === undefined) {
      this.#buckets.set(this.#hash, this.#remember(state));
      return true;
    }
    const entries = typeof bucket === 'number' ? [bucket] : bucket;
    if (entries.some((entry) => this.#states[entry] === state && this.#sameBits(entry))) {
      this.#toggle(index);
      return false;
    }
    const entry = this.#remember(state);
    if (typeof bucket === 'number') this.#buckets.set(this.#hash, [bucket, entry]);
    else bucket.push(entry);
    return true;
  }

  /** Unmark op `index` (the search backtracked over it); what was reached stays remembered. */
  forget(index: number): void {
    this.#toggle(index);
  }

  #toggle(index: number): void {
    const word = index >>> 5;
    this.#bits[word] = (this.#bits[word] as number) ^ (1 << (index & 31));
    this.#hash = (this.#hash ^ (this.#salt[index] as number)) >>> 0;
  }

  /** Copy the current bitset into the pool as a new entry with `state`; returns its number. */
  #remember(state: ModelState): number {
    const entry = this.#states.length;
    const offset = entry * this.#words;
    if (offset + this.#words > this.#pool.length) {
      const grown = new Uint32Array(this.#pool.length * 2);
      grown.set(this.#pool);
      this.#pool = grown;
    }
    this.#pool.set(this.#bits, offset);
    this.#states.push(state);
    return entry;
  }

  #sameBits(entry: number): boolean {
    const offset = entry * this.#words;
    for (let i = 0; i < this.#words; i++) {
      if (this.#pool[offset + i] !== this.#bits[i]) return false;
    }
    return true;
  }
}
