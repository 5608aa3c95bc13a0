import { CallQueue, type QueueEntry } from './call-queue.js';
import { IdleSweep, type SweptPool } from './idle-sweep.js';
import { type LaneSource, openLane } from './lane-source.js';

/** How many lanes, how much work each carries, and how long an idle one is kept. */
export interface LaneLimits {
  maxLanes: number;
  /** Tasks in flight on one lane: the running one and those pipelined behind it. */
  perLane: number;
  /** A lane that ran nothing for between one and two of these is handed back. */
  lingerMs: number;
  /**
   * Opening a lane that takes longer fails (a connection that comes later is handed back), so
   * an opening the source never finishes cannot stop the lanes from growing for good.
   */
  openTimeoutMs: number;
}

interface Lane<C> {
  readonly connection: C;
  inFlight: number;
  usedSinceSweep: boolean;
}

/** A task admitted to {@link ConnectionLanes}. */
export interface Admission<T> {
  /** Settles like the task, or rejects with the reason it was withdrawn or closed with. */
  promise: Promise<T>;
  /** Take the task out of the queue if it still waits; true when it did. */
  withdraw(reason: unknown): boolean;
}

interface Waiter<C> extends QueueEntry {
  start(lane: Lane<C>): void;
  reject(reason: unknown): void;
}

/**
 * Runs tasks on connections held for the adapter's sole use ("lanes"), at most `perLane` at a
 * time on each, opening lanes as concurrency needs them and handing back those left idle.
 * The rest wait here in FIFO order, so the driver never queues (a call that gives up while
 * waiting leaves at once and is never sent), and the driver's pool does not dispatch each
 * call: porsager's pool slows down call by call while some of its connections sit idle.
 */
export class ConnectionLanes<C> {
  readonly #source: LaneSource<C>;
  readonly #limits: LaneLimits;
  #lanes: Lane<C>[] = [];
  #opening = 0;
  #running = 0;
  readonly #queue = new CallQueue<Waiter<C>>();
  #closedWith: unknown;
  #closed = false;
  #onIdle: Array<() => void> = [];
  readonly #sweep: IdleSweep<Lane<C>>;

  constructor(source: LaneSource<C>, limits: LaneLimits) {
    this.#source = source;
    this.#limits = limits;
    const pool: SweptPool<Lane<C>> = {
      lanes: () => this.#lanes,
      usable: (lane) => this.#usable(lane),
      handBack: (lane) => this.#handBack(lane),
    };
    this.#sweep = new IdleSweep(pool, limits.lingerMs);
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for room on a lane. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Lanes held now, including lost ones not yet dropped. */
  get lanes(): number {
    return this.#lanes.length;
  }

  /**
   * Run `task` on a lane's connection as soon as one has room. `withdraw` takes a
   * still-waiting task out of the queue (its promise rejects with the given reason) and says
   * whether it did.
   */
  run<T>(task: (connection: C) => Promise<T>): Admission<T> {
    if (this.#closed) return { promise: Promise.reject(this.#closedWith), withdraw: notWaiting };
    if (this.waiting === 0) {
      const lane = this.#pick(false);
      if (lane !== undefined) return { promise: this.#start(lane, task), withdraw: notWaiting };
    }
    let waiter!: Waiter<C>;
    const promise = new Promise<T>((resolve, reject) => {
      const start = (lane: Lane<C>) => this.#start(lane, task).then(resolve, reject);
      waiter = { start, reject, queued: false };
    });
    this.#queue.push(waiter);
    this.#growIfShort();
    const withdraw = (reason: unknown): boolean => {
      if (!this.#queue.withdraw(waiter)) return false;
      waiter.reject(reason);
      return true;
    };
    return { promise, withdraw };
  }

  /**
   * Reject every waiting task with `reason`, and every later `run`. Running tasks go on; each
   * lane is handed back once it has nothing in flight (at once when idle): a connection handed
   * back mid-statement can lose what the driver still holds for it.
   */
  close(reason: unknown): void {
    this.#closed = true;
    this.#closedWith = reason;
    this.#sweep.stop();
    this.#rejectWaiting(reason);
    for (const lane of [...this.#lanes]) if (lane.inFlight === 0) this.#handBack(lane);
  }

  /** Resolves once no task is running (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#onIdle.push(resolve));
  }

  /**
   * A live lane for a new task: an idle one, else (when `pipeline` or no lane may be added)
   * one with room. Lost lanes are dropped on the way: the driver has taken their connections
   * back, and their tasks settle (or not) without them. Retiring lanes get nothing new; idle
   * ones are handed back on the way.
   */
  #pick(pipeline: boolean): Lane<C> | undefined {
    let withRoom: Lane<C> | undefined;
    for (let i = 0; i < this.#lanes.length; i++) {
      const lane = this.#lanes[i] as Lane<C>;
      if (!this.#source.isAlive(lane.connection)) {
        this.#lanes.splice(i--, 1);
        continue;
      }
      if (this.#source.isRetiring(lane.connection)) {
        if (lane.inFlight === 0) {
          this.#handBack(lane);
          i -= 1;
        }
        continue;
      }
      if (lane.inFlight === 0) return lane;
      if (
        withRoom === undefined &&
        lane.inFlight < this.#limits.perLane &&
        this.#source.acceptsMore(lane.connection)
      ) {
        withRoom = lane;
      }
    }
    return pipeline || !this.#canGrow() ? withRoom : undefined;
  }

  /** Whether `lane` may take new work: neither lost nor retiring. */
  #usable(lane: Lane<C>): boolean {
    return this.#source.isAlive(lane.connection) && !this.#source.isRetiring(lane.connection);
  }

  #hasLiveLane(): boolean {
    return this.#lanes.some((lane) => this.#usable(lane));
  }

  #canGrow(): boolean {
    return this.#lanes.length + this.#opening < this.#limits.maxLanes;
  }

  /**
   * Open another lane while tasks wait, one at a time: a source may take the connection it
   * just opened from a shared pool, and two openings at once could race for it.
   */
  #growIfShort(): void {
    if (this.#opening > 0 || this.waiting === 0 || !this.#canGrow()) return;
    this.#opening += 1;
    openLane(this.#source, this.#limits.openTimeoutMs).then(
      (connection) => {
        this.#opening -= 1;
        if (this.#closed) return this.#source.release(connection);
        this.#lanes.push({ connection, inFlight: 0, usedSinceSweep: true });
        this.#sweep.start();
        this.#serveWaiting();
      },
      (error: unknown) => this.#openFailed(error),
    );
  }

  #openFailed(error: unknown): void {
    this.#opening -= 1;
    if (this.#closed) return;
    // Nothing can serve the waiting tasks: fail them now rather than retry behind them.
    if (this.#opening === 0 && !this.#hasLiveLane()) this.#rejectWaiting(error);
  }

  #start<T>(lane: Lane<C>, task: (connection: C) => Promise<T>): Promise<T> {
    lane.inFlight += 1;
    lane.usedSinceSweep = true;
    this.#running += 1;
    let pending: Promise<T>;
    try {
      pending = task(lane.connection);
    } catch (error) {
      this.#source.noteFailure(lane.connection, error);
      this.#finished(lane);
      return Promise.reject(error);
    }
    return pending.then(
      (value) => {
        this.#finished(lane);
        return value;
      },
      (error: unknown) => {
        this.#source.noteFailure(lane.connection, error);
        this.#finished(lane);
        throw error;
      },
    );
  }

  #finished(lane: Lane<C>): void {
    lane.inFlight -= 1;
    this.#running -= 1;
    if (lane.inFlight === 0 && (this.#closed || this.#source.isRetiring(lane.connection))) {
      this.#handBack(lane);
    }
    if (this.waiting > 0) this.#serveWaiting();
    if (this.#running === 0 && this.#onIdle.length > 0) {
      for (const resolve of this.#onIdle.splice(0)) resolve();
    }
  }

  /** Start waiting tasks, oldest first, while a lane has room; then grow if they still wait. */
  #serveWaiting(): void {
    while (this.waiting > 0) {
      const lane = this.#pick(true);
      if (lane === undefined) break;
      // Off the queue before it starts: a task that fails at once re-enters this loop.
      (this.#queue.shift() as Waiter<C>).start(lane);
    }
    this.#growIfShort();
  }

  #rejectWaiting(reason: unknown): void {
    for (const waiter of this.#queue.clear()) waiter.reject(reason);
  }

  /** Drop `lane`, handing its connection back unless the driver already took it. */
  #handBack(lane: Lane<C>): void {
    const index = this.#lanes.indexOf(lane);
    if (index === -1) return;
    this.#lanes.splice(index, 1);
    if (this.#source.isAlive(lane.connection)) this.#source.release(lane.connection);
  }
}

function notWaiting(): boolean {
  return false;
}
