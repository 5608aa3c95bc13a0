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
  const warmupRounds = plan.warmupRounds ?? 0;
  const results = contenders.map((): Result[] => []);
  const lastRound = plan.extend?.maxRounds ?? plan.rounds;
  for (let round = -warmupRounds; round < lastRound; round++) {
    const recorded = round + 1;
    if (recorded > plan.rounds && plan.extend?.settled(results)) break;
    for (let position = 0; position < contenders.length; position++) {
      const index = (position + round + warmupRounds) % contenders.length;
      const result = await measure(contenders[index] as Contender, {
        index,
        round,
        rounds: Math.max(plan.rounds, recorded),
      });
      if (round >= 0) results[index]?.push(result);
    }
  }
  return results;
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
