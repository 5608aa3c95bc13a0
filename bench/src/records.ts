import type { AdapterName } from './config.js';
import type { ContenderKind, OpName } from './contender.js';
import type { ContenderResult } from './measure-cell.js';
import { median, medianStandardError, roundRatios } from './stats.js';

/** One measured cell with every contender's result; Strongbox comes first. */
export interface CellResult {
  adapter: AdapterName;
  op: OpName;
  concurrency: number;
  results: ContenderResult[];
  /** Rounds per sitting: a contender's rounds come in sittings of this many (see `CellPlan`). */
  roundsPerSitting: number;
  /** Protocol messages per operation by contender, from the counting proxy (networked only). */
  roundTripsPerOp?: Partial<Record<ContenderKind, number>>;
}

/**
 * One line of `bench/results/latest.json`: Strongbox against one contender in one cell.
 * `opsPerSec`, `p50Ms` and `p99Ms` are Strongbox's; `ratio` = opsPerSec / contenderOpsPerSec.
 * For `cas-hot` the rates count successful increments.
 */
export interface BenchRecord {
  adapter: AdapterName;
  op: OpName;
  concurrency: number;
  contender: Exclude<ContenderKind, 'strongbox'>;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  contenderOpsPerSec: number;
  /**
   * Median over the rounds of Strongbox's rate ÷ the contender's in the same round (each round
   * measures both, one after the other, so a slow stretch of the machine hits both sides of a
   * pair). null when the contender finished nothing (only seen on an overloaded machine).
   */
  ratio: number | null;
  /**
   * The ratio's uncertainty: the robust standard error of its median over the rounds, relative
   * (0.03: about ±3 %; two runs' ratios differ by about 1.4 times that, one standard
   * deviation). From three rounds on.
   */
  ratioError?: number;
  contenderP50Ms: number;
  contenderP99Ms: number;
  /** Half the range of the per-round rates relative to the median, Strongbox and contender. */
  spread: number;
  contenderSpread: number;
  rounds: number;
  roundTripsPerOp?: number;
  contenderRoundTripsPerOp?: number;
  attemptsPerSuccess?: number;
  contenderAttemptsPerSuccess?: number;
  /** `cas-hot`: successful increments missing from the final counter (must be 0 for Strongbox). */
  lostUpdates?: number;
  contenderLostUpdates?: number;
  /** `delete`: share of deletes that ran out of seeded keys and removed nothing. */
  exhaustedShare?: number;
  contenderExhaustedShare?: number;
}

/** Flatten cells into records, one per non-Strongbox contender. */
export function toRecords(cells: readonly CellResult[]): BenchRecord[] {
  return cells.flatMap((cell) => {
    const [strongbox, ...others] = cell.results;
    if (strongbox?.kind !== 'strongbox') throw new Error('a cell must start with Strongbox');
    return others.map(
      (other): BenchRecord => ({
        adapter: cell.adapter,
        op: cell.op,
        concurrency: cell.concurrency,
        contender: other.kind as BenchRecord['contender'],
        opsPerSec: round(strongbox.opsPerSec),
        p50Ms: round(strongbox.p50Ms, 4),
        p99Ms: round(strongbox.p99Ms, 4),
        contenderOpsPerSec: round(other.opsPerSec),
        ratio: pairedRatio(strongbox.roundOpsPerSec, other.roundOpsPerSec),
        ...optional(
          'ratioError',
          pairedRatioError(strongbox.roundOpsPerSec, other.roundOpsPerSec, cell.roundsPerSitting),
        ),
        contenderP50Ms: round(other.p50Ms, 4),
        contenderP99Ms: round(other.p99Ms, 4),
        spread: round(strongbox.spread, 3),
        contenderSpread: round(other.spread, 3),
        rounds: strongbox.roundOpsPerSec.length,
        ...optional('roundTripsPerOp', cell.roundTripsPerOp?.strongbox),
        ...optional('contenderRoundTripsPerOp', cell.roundTripsPerOp?.[other.kind]),
        ...optional('attemptsPerSuccess', strongbox.attemptsPerSuccess),
        ...optional('contenderAttemptsPerSuccess', other.attemptsPerSuccess),
        ...optional('lostUpdates', strongbox.lostUpdates),
        ...optional('contenderLostUpdates', other.lostUpdates),
        ...optional('exhaustedShare', strongbox.exhaustedShare),
        ...optional('contenderExhaustedShare', other.exhaustedShare),
      }),
    );
  });
}

/**
 * The median of the per-round ratios, over the rounds in which the contender finished something,
 * to three significant digits (a fixed number of decimals would leave a 0.02× ratio ±2.5 %).
 */
export function pairedRatio(strongbox: readonly number[], other: readonly number[]): number | null {
  const ratios = roundRatios(strongbox, other);
  return ratios.length === 0 ? null : Number(median(ratios).toPrecision(3));
}

/**
 * {@link BenchRecord.ratioError}: the robust standard error of the median of the sittings' own
 * medians of the log ratio (rounds taken `roundsPerSitting` at a time), because a sitting's
 * rounds share its process and its warm-up, and the spread between processes is what moves a
 * ratio most at c64. Undefined below three sittings.
 */
export function pairedRatioError(
  strongbox: readonly number[],
  other: readonly number[],
  roundsPerSitting: number,
): number | undefined {
  const sittings: number[] = [];
  for (let start = 0; start < strongbox.length; start += roundsPerSitting) {
    const end = start + roundsPerSitting;
    const ratios = roundRatios(strongbox.slice(start, end), other.slice(start, end));
    if (ratios.length > 0) sittings.push(median(ratios.map(Math.log)));
  }
  return sittings.length < 3 ? undefined : medianStandardError(sittings);
}

function optional<K extends string>(
  name: K,
  value: number | undefined,
): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [name]: round(value, 3) } as Record<K, number>);
}

function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
