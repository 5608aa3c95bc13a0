/**
 * Admits at most `limit` tasks at once (one per pooled connection) and queues the rest in
 * FIFO order. The driver therefore never queues: its own queue slows down as it grows under
 * sustained overload, and a call that gave up while queued there would still be sent later.
 * Here a call that gives up while waiting leaves at once and is never sent.
 */
export class InFlightLimit {
  readonly #limit: number;
  #running = 0;
  /** Waiters from `#head` on; withdrawn ones stay until they reach the head or a compaction. */
  #queue: Array<Waiter | undefined> = [];
  #head = 0;
  #withdrawn = 0;
  #closedWith: unknown;
  #closed = false;
  #onIdle: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#queue.length - this.#head - this.#withdrawn;
  }

  /**
   * Run `task` as soon as a slot is free. `withdraw` takes a still-waiting task out of the
   * queue (its promise rejects with the given reason) and says whether it did.
   */
  run<T>(task: () => Promise<T>): Admission<T> {
    if (this.#closed) return { promise: Promise.reject(this.#closedWith), withdraw: notWaiting };
    if (this.#running < this.#limit && this.waiting === 0) {
      return { promise: this.#start(task), withdraw: notWaiting };
    }
    let waiter!: Waiter;
    const promise = new Promise<T>((resolve, reject) => {
      waiter = { start: () => this.#start(task).then(resolve, reject), reject, settled: false };
    });
    this.#queue.push(waiter);
    const withdraw = (reason: unknown): boolean => {
      if (waiter.settled) return false;
      waiter.settled = true;
      this.#withdrawn += 1;
      waiter.reject(reason);
      this.#compactIfSparse();
      return true;
    };
    return { promise, withdraw };
  }

  /** Reject every waiting task with `reason`, and every later `run`. Running tasks go on. */
  close(reason: unknown): void {
    this.#closed = true;
    this.#closedWith = reason;
    for (let i = this.#head; i < this.#queue.length; i++) {
      const waiter = this.#queue[i];
      if (waiter && !waiter.settled) {
        waiter.settled = true;
        waiter.reject(reason);
      }
    }
    this.#queue = [];
    this.#head = 0;
    this.#withdrawn = 0;
  }

  /** Resolves once no task is running (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#onIdle.push(resolve));
  }

  #start<T>(task: () => Promise<T>): Promise<T> {
    this.#running += 1;
    let pending: Promise<T>;
    try {
      pending = task();
    } catch (error) {
      this.#release();
      return Promise.reject(error);
    }
    return pending.then(
      (value) => {
        this.#release();
        return value;
      },
      (error: unknown) => {
        this.#release();
        throw error;
      },
    );
  }

  #release(): void {
    this.#running -= 1;
    if (this.#running === 0 && this.#onIdle.length > 0 && this.waiting === 0) {
      for (const resolve of this.#onIdle.splice(0)) resolve();
    }
    while (this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head];
      this.#queue[this.#head] = undefined;
      this.#head += 1;
      if (waiter === undefined) continue;
      if (waiter.settled) {
        this.#withdrawn -= 1;
        continue;
      }
      waiter.settled = true;
      waiter.start();
      break;
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Drop withdrawn waiters once they are most of the queue, so memory follows live waiters. */
  #compactIfSparse(): void {
    const length = this.#queue.length - this.#head;
    if (this.#withdrawn < 1024 || this.#withdrawn * 2 < length) return;
    this.#queue = this.#queue.slice(this.#head).filter((waiter) => waiter && !waiter.settled);
    this.#head = 0;
    this.#withdrawn = 0;
  }
}

/** A task admitted to an {@link InFlightLimit}. */
export interface Admission<T> {
  /** Settles like the task, or rejects with the reason it was withdrawn or closed with. */
  promise: Promise<T>;
  /** Take the task out of the queue if it still waits; true when it did. */
  withdraw(reason: unknown): boolean;
}

interface Waiter {
  start(): void;
  reject(reason: unknown): void;
  settled: boolean;
}

function notWaiting(): boolean {
  return false;
}
