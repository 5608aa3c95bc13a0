/** What the sweep reads and marks on a lane. */
export interface SweptLane {
  /** Tasks running or pipelined on the lane now. */
  readonly inFlight: number;
  /** Set by the pool whenever the lane starts a task; cleared by each sweep. */
  usedSinceSweep: boolean;
}

/** The pool the sweep works for. */
export interface SweptPool<L extends SweptLane> {
  /** The lanes held now. */
  lanes(): readonly L[];
  /** Whether `lane` may still take work (false: hand it back as soon as it is idle). */
  usable(lane: L): boolean;
  /** Drop `lane` and hand its connection back. */
  handBack(lane: L): void;
}

/**
 * Hands back lanes left unused for a linger period, with one timer for all lanes rather than
 * one per call: each tick hands back the idle lanes that started nothing since the tick
 * before (so a lane goes back after one to two periods unused) and clears the mark on the
 * others. The timer runs while lanes are held and never keeps the process alive.
 */
export class IdleSweep<L extends SweptLane> {
  readonly #pool: SweptPool<L>;
  readonly #periodMs: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(pool: SweptPool<L>, periodMs: number) {
    this.#pool = pool;
    this.#periodMs = periodMs;
  }

  /** Arm the timer unless it is armed (or the sweep stopped). */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setTimeout(() => this.#tick(), this.#periodMs);
    this.#timer.unref();
  }

  /** For good: no tick runs after this. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #tick(): void {
    this.#timer = undefined;
    for (const lane of [...this.#pool.lanes()]) {
      const unused = !lane.usedSinceSweep || !this.#pool.usable(lane);
      if (lane.inFlight === 0 && unused) this.#pool.handBack(lane);
      else lane.usedSinceSweep = false;
    }
    if (this.#pool.lanes().length > 0) this.start();
  }
}
