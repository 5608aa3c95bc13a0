/** Where one measurement stands in an alternating run. */
export interface Turn {
  /** The contender's position in the list passed in. */
  index: number;
  /** 0-based recorded round; negative during the unrecorded warm-up rounds. */
  round: number;
  /** Recorded rounds planned, for progress lines (`round 3/7`); more when the plan may extend. */
  rounds: number;
}

/** How many rounds, and how many unrecorded ones first. */
export interface AlternatingPlan<Result> {
  rounds: number;
  /** Rounds run before the recorded ones and thrown away: every contender warmed up alike. */
  warmupRounds?: number;
  /**
   * Keep adding rounds after `rounds` until `settled` says the results so far are enough, up
   * to `maxRounds` in all.
   */
  extend?: { maxRounds: number; settled: (results: readonly (readonly Result[])[]) => boolean };
}

/**
 * Measure every contender once per round, round after round, the order rotated every round,
 * so drift in the machine's load spreads over all of them instead of favouring one, and each
 * round holds one measurement of every contender close together in time: a ratio per round
 * compares a pair measured back to back. `measure` calls {@link collectGarbage} right before
 * its timed part (after preparing its keys). Returns each contender's results (in the order
 * given), one per recorded round, in round order.
 */
export async function measureAlternating<Contender, Result>(
  contenders: readonly Contender[],
  plan: AlternatingPlan<Result>,
  measure: (contender: Contender, turn: Turn) => Promise<Result>,
): Promise<Result[][]> {
  const rounds = new AlternatingRounds(contenders, plan, measure);
  while (!rounds.done) await rounds.next();
  return rounds.results;
}

/**
 * {@link measureAlternating} one round at a time, so that the rounds of several cells can be
 * interleaved: each cell's rounds then spread over the whole run instead of one stretch of it.
 */
export class AlternatingRounds<Contender, Result> {
  /** Each contender's results (in the order given), one per recorded round so far. */
  readonly results: Result[][];
  readonly #contenders: readonly Contender[];
  readonly #plan: AlternatingPlan<Result>;
  readonly #measure: (contender: Contender, turn: Turn) => Promise<Result>;
  readonly #warmupRounds: number;
  /** The next round to run; negative while unrecorded warm-up rounds are left. */
  #round: number;
  #done: boolean;

  constructor(
    contenders: readonly Contender[],
    plan: AlternatingPlan<Result>,
    measure: (contender: Contender, turn: Turn) => Promise<Result>,
  ) {
    this.#contenders = contenders;
    this.#plan = plan;
    this.#measure = measure;
    this.#warmupRounds = plan.warmupRounds ?? 0;
    this.#round = -this.#warmupRounds;
    this.results = contenders.map((): Result[] => []);
    this.#done = this.#finished();
  }

  /** Whether every planned round has run and no more are wanted (see `AlternatingPlan.extend`). */
  get done(): boolean {
    return this.#done;
  }

  /** Run the next round: every contender once, starting one further along than last round. */
  async next(): Promise<void> {
    if (this.#done) throw new Error('alternating rounds: every round has run');
    const round = this.#round;
    const contenders = this.#contenders;
    for (let position = 0; position < contenders.length; position++) {
      const index = (position + round + this.#warmupRounds) % contenders.length;
      const result = await this.#measure(contenders[index] as Contender, {
        index,
        round,
        rounds: Math.max(this.#plan.rounds, round + 1),
      });
      if (round >= 0) this.results[index]?.push(result);
    }
    this.#round = round + 1;
    this.#done = this.#finished();
  }

  /** Whether the rounds so far are all there will be: all planned, and no more wanted. */
  #finished(): boolean {
    const { rounds, extend } = this.#plan;
    const round = this.#round;
    return (
      round >= (extend?.maxRounds ?? rounds) ||
      (round >= rounds && (extend?.settled(this.results) ?? true))
    );
  }
}

/**
 * Start a measurement from a clean heap, so one contender's garbage is not another's pause.
 * A loop is slower for a while after it (measured on 2 cores: 20–40 ms in memory, 100–300 ms
 * for Redis, up to 600 ms for Postgres at c1), which the measurement's warm-up has to cover.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc (the bench scripts do)');
  gc();
}
