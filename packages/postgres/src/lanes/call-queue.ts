/** What a {@link CallQueue} holds: `queued` is true from `push` until the entry leaves. */
export interface QueueEntry {
  queued: boolean;
}

/** Withdrawn entries may pile up to this many before the queue compacts (see `withdraw`). */
const COMPACT_AFTER = 1024;

/**
 * A FIFO of waiting calls in which any entry can be withdrawn at once. Withdrawing only marks
 * the entry (no search, no shift of the array); marked entries are skipped when they reach the
 * head, and dropped in one pass once they are most of the queue, so its memory follows the
 * entries still queued however many calls give up while they wait. Taking from the head moves
 * an index; the array is cut back once the taken part is most of it.
 */
export class CallQueue<T extends QueueEntry> {
  /** Entries from `#head` on; withdrawn ones stay until they reach the head or a compaction. */
  #entries: Array<T | undefined> = [];
  #head = 0;
  #withdrawn = 0;

  /** Entries still queued. */
  get length(): number {
    return this.#entries.length - this.#head - this.#withdrawn;
  }

  /** Queue `entry` at the end. */
  push(entry: T): void {
    entry.queued = true;
    this.#entries.push(entry);
  }

  /** Take `entry` out if it is still queued; true when it was. */
  withdraw(entry: T): boolean {
    if (!entry.queued) return false;
    entry.queued = false;
    this.#withdrawn += 1;
    this.#compactIfSparse();
    return true;
  }

  /** Take the oldest entry still queued, or `undefined` when none is. */
  shift(): T | undefined {
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head];
      this.#entries[this.#head] = undefined;
      this.#head += 1;
      if (entry === undefined) continue;
      if (!entry.queued) {
        this.#withdrawn -= 1;
        continue;
      }
      entry.queued = false;
      this.#trimTaken();
      return entry;
    }
    this.#trimTaken();
    return undefined;
  }

  /** Take every entry still queued, oldest first, leaving the queue empty. */
  clear(): T[] {
    const queued: T[] = [];
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (entry?.queued) {
        entry.queued = false;
        queued.push(entry);
      }
    }
    this.#entries = [];
    this.#head = 0;
    this.#withdrawn = 0;
    return queued;
  }

  /** Cut the taken part off the array: at once when nothing is left, else once it is most of it. */
  #trimTaken(): void {
    if (this.#head === this.#entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Drop withdrawn entries once they are most of the queue, or all of it. */
  #compactIfSparse(): void {
    if (this.length === 0) {
      this.clear();
      return;
    }
    const length = this.#entries.length - this.#head;
    if (this.#withdrawn < COMPACT_AFTER || this.#withdrawn * 2 < length) return;
    this.#entries = this.#entries.slice(this.#head).filter((entry) => entry?.queued);
    this.#head = 0;
    this.#withdrawn = 0;
  }
}
