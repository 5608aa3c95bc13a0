/** Where lanes get their connections from; see `reserved-connection.ts` for porsager's. */
export interface LaneSource<C> {
  /** A connection for the exclusive use of one lane. */
  open(): Promise<C>;
  /** False once the connection is lost: its lane then takes no more work. */
  isAlive(connection: C): boolean;
  /** A task on `connection` failed with `error`: the source may now count it as lost. */
  noteFailure(connection: C, error: unknown): void;
  /** Whether a task started now on a busy `connection` would be sent at once, not queued. */
  acceptsMore(connection: C): boolean;
  /**
   * True once `connection` is too old to keep: its lane takes no more work and is handed
   * back as soon as nothing runs on it.
   */
  isRetiring(connection: C): boolean;
  /** Hand a live connection back to where it came from (or close it, if it is too old). */
  release(connection: C): void;
}

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

/**
 * Why waiting tasks were rejected: no lane could be opened for them (the source failed, the
 * `cause`, or took longer than `openTimeoutMs`). None of them was started.
 */
export class LaneOpenError extends Error {
  override readonly name = 'LaneOpenError';
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

interface Waiter<C> {
  start(lane: Lane<C>): void;
  reject(reason: unknown): void;
  settled: boolean;
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
  /** Waiters from `#head` on; withdrawn ones stay until they reach the head or a compaction. */
  #queue: Array<Waiter<C> | undefined> = [];
  #head = 0;
  #withdrawn = 0;
  #closedWith: unknown;
  #closed = false;
  #onIdle: Array<() => void> = [];
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(source: LaneSource<C>, limits: LaneLimits) {
    this.#source = source;
    this.#limits = limits;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for room on a lane. */
  get waiting(): number {
    return this.#queue.length - this.#head - this.#withdrawn;
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
      waiter = { start, reject, settled: false };
    });
    this.#queue.push(waiter);
    this.#growIfShort();
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

  /**
   * Reject every waiting task with `reason`, and every later `run`. Running tasks go on; each
   * lane is handed back once it has nothing in flight (at once when idle): a connection handed
   * back mid-statement can lose what the driver still holds for it.
   */
  close(reason: unknown): void {
    this.#closed = true;
    this.#closedWith = reason;
    clearTimeout(this.#sweepTimer);
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

  #hasLiveLane(): boolean {
    return this.#lanes.some(
      (lane) => this.#source.isAlive(lane.connection) && !this.#source.isRetiring(lane.connection),
    );
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
    const { openTimeoutMs } = this.#limits;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.#openFailed(
        new LaneOpenError(`no connection could be opened within ${openTimeoutMs} ms`),
      );
    }, openTimeoutMs);
    timer.unref();
    this.#source.open().then(
      (connection) => {
        clearTimeout(timer);
        if (timedOut) return this.#source.release(connection);
        this.#opening -= 1;
        if (this.#closed) return this.#source.release(connection);
        this.#lanes.push({ connection, inFlight: 0, usedSinceSweep: true });
        this.#scheduleSweep();
        this.#serveWaiting();
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) {
          this.#openFailed(new LaneOpenError('no connection could be opened', { cause: error }));
        }
      },
    );
  }

  #openFailed(error: LaneOpenError): void {
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

  #serveWaiting(): void {
    while (this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head];
      const lane = waiter === undefined || waiter.settled ? undefined : this.#pick(true);
      if (waiter !== undefined && !waiter.settled && lane === undefined) break;
      // Off the queue before it starts: a task that fails at once re-enters this loop.
      this.#queue[this.#head] = undefined;
      this.#head += 1;
      if (waiter === undefined) continue;
      if (lane === undefined) {
        this.#withdrawn -= 1;
        continue;
      }
      waiter.settled = true;
      waiter.start(lane);
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#growIfShort();
  }

  #rejectWaiting(reason: unknown): void {
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

  /** Drop withdrawn waiters once they are most of the queue, so memory follows live waiters. */
  #compactIfSparse(): void {
    const length = this.#queue.length - this.#head;
    if (this.#withdrawn < 1024 || this.#withdrawn * 2 < length) return;
    this.#queue = this.#queue.slice(this.#head).filter((waiter) => waiter && !waiter.settled);
    this.#head = 0;
    this.#withdrawn = 0;
  }

  /** Drop `lane`, handing its connection back unless the driver already took it. */
  #handBack(lane: Lane<C>): void {
    const index = this.#lanes.indexOf(lane);
    if (index === -1) return;
    this.#lanes.splice(index, 1);
    if (this.#source.isAlive(lane.connection)) this.#source.release(lane.connection);
  }

  /** One timer for all lanes (not one per call): each tick hands back those unused since the last. */
  #scheduleSweep(): void {
    if (this.#sweepTimer !== undefined || this.#closed) return;
    this.#sweepTimer = setTimeout(() => this.#sweep(), this.#limits.lingerMs);
    this.#sweepTimer.unref();
  }

  #sweep(): void {
    this.#sweepTimer = undefined;
    for (const lane of [...this.#lanes]) {
      const unused =
        !lane.usedSinceSweep ||
        !this.#source.isAlive(lane.connection) ||
        this.#source.isRetiring(lane.connection);
      if (lane.inFlight === 0 && unused) this.#handBack(lane);
      else lane.usedSinceSweep = false;
    }
    if (this.#lanes.length > 0) this.#scheduleSweep();
  }
}

function notWaiting(): boolean {
  return false;
}
