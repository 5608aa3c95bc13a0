/** Where one measurement stands in a run of {@link measureAlternating}. */
export interface Turn {
  /** The contender's position in the list passed in. */
  index: number;
  /** 0-based recorded round; negative during the unrecorded warm-up rounds. */
  round: number;
  /** Recorded rounds planned, for progress lines (`round 3/7`). */
  rounds: number;
}

/** How many rounds, and how many unrecorded ones first. */
export interface AlternatingPlan {
  rounds: number;
  /** Rounds run before the recorded ones and thrown away: every contender warmed up alike. */
  warmupRounds?: number;
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
  plan: AlternatingPlan,
  measure: (contender: Contender, turn: Turn) => Promise<Result>,
): Promise<Result[][]> {
  const turns = new AlternatingTurns<Result>(
    contenders.length,
    { turns: plan.rounds, warmupTurns: plan.warmupRounds ?? 0, rotation: 0 },
    async ({ order, turn, turns: rounds }) => {
      const results = contenders.map((): Result[] => []);
      for (const index of order) {
        const result = await measure(contenders[index] as Contender, {
          index,
          round: turn,
          rounds,
        });
        results[index]?.push(result);
      }
      return results;
    },
  );
  while (!turns.done) await turns.next();
  return turns.results;
}

/** One turn of an {@link AlternatingTurns} run. */
export interface TurnOrder {
  /** Contender positions in the order this turn starts with: one further along every turn. */
  order: readonly number[];
  /** 0-based recorded turn; negative during the unrecorded warm-up turns. */
  turn: number;
  /** Recorded turns planned, for progress lines. */
  turns: number;
}

/** How many turns, and how many unrecorded ones first. */
export interface TurnPlan {
  turns: number;
  /** Turns run before the recorded ones and thrown away: every contender warmed up alike. */
  warmupTurns: number;
  /** Which contender the first turn starts with (each turn starts one further along). */
  rotation: number;
}

/**
 * Turns of alternating measurements, run one at a time so that the turns of several cells can
 * be interleaved: each cell's turns then spread over the whole run instead of one stretch of it.
 * A turn measures every contender, starting one further along than the turn before, and may
 * record several results per contender (a cell's sitting of rounds, see `cellTurns`).
 */
export class AlternatingTurns<Result> {
  /** Each contender's results (in the order given), in turn order, every recorded turn's so far. */
  readonly results: Result[][];
  readonly #plan: TurnPlan;
  readonly #runTurn: (turn: TurnOrder) => Promise<Result[][]>;
  /** The next turn to run; negative while unrecorded warm-up turns are left. */
  #turn: number;

  /** `runTurn` returns each contender's results of the turn, in the order of the contenders. */
  constructor(
    contenders: number,
    plan: TurnPlan,
    runTurn: (turn: TurnOrder) => Promise<Result[][]>,
  ) {
    this.#plan = plan;
    this.#runTurn = runTurn;
    this.#turn = -plan.warmupTurns;
    this.results = Array.from({ length: contenders }, (): Result[] => []);
  }

  /** Whether every planned turn has run. */
  get done(): boolean {
    return this.#turn >= this.#plan.turns;
  }

  /** Run the next turn. */
  async next(): Promise<void> {
    if (this.done) throw new Error('alternating turns: every turn has run');
    const turn = this.#turn;
    const count = this.results.length;
    const first = turn + this.#plan.warmupTurns + this.#plan.rotation;
    const order = Array.from({ length: count }, (_, position) => (position + first) % count);
    const measured = await this.#runTurn({
      order,
      turn,
      turns: this.#plan.turns,
    });
    if (turn >= 0) {
      for (const [index, results] of measured.entries()) this.results[index]?.push(...results);
    }
    this.#turn = turn + 1;
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
