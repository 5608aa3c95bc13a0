import { LatencyHistogram } from '../histogram.js';
import type { ContenderRounds, Measurement } from '../measure-cell.js';
import type { CellRounds } from '../run-adapter.js';

/** {@link CellRounds} as it crosses to another process: histograms as their bucket counts. */
export type CellRoundsMessage = Array<
  Omit<CellRounds, 'contenders'> & {
    contenders: Array<Omit<ContenderRounds, 'rounds'> & { rounds: MeasurementMessage[] }>;
  }
>;

type MeasurementMessage = Omit<Measurement, 'latency'> & { latency: Float64Array };

/** Cells ready for `process.send` with the `advanced` serialization (typed arrays survive it). */
export function toMessage(cells: readonly CellRounds[]): CellRoundsMessage {
  return cells.map((cell) => ({
    ...cell,
    contenders: cell.contenders.map((contender) => ({
      ...contender,
      rounds: contender.rounds.map((round) => ({ ...round, latency: round.latency.counts() })),
    })),
  }));
}

/** The cells a {@link toMessage} message carried. */
export function fromMessage(message: CellRoundsMessage): CellRounds[] {
  return message.map((cell) => ({
    ...cell,
    contenders: cell.contenders.map((contender) => ({
      ...contender,
      rounds: contender.rounds.map((round) => ({
        ...round,
        latency: LatencyHistogram.fromCounts(round.latency),
      })),
    })),
  }));
}
