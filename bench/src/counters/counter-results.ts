import { pairedRatio } from '../records.js';
import type { CounterKind, CounterScenario, KeyMode } from './counter-contender.js';
import type { CounterResult } from './measure-counters.js';

/** One measured cell of the counters benchmark. */
export interface CounterCellResult {
  backend: string;
  scenario: CounterScenario;
  keys: KeyMode;
  concurrency: number;
  results: CounterResult[];
  /** Requests per call at c64, for the scenarios that are counted. */
  roundTrips?: Partial<Record<CounterKind, number>>;
}

/** A whole run: when, how, and every cell. */
export interface CounterRun {
  startedAt: string;
  durationS: number;
  mode: 'quick' | 'full';
  rounds: number;
  durationMs: Record<string, number>;
  node: string;
  cells: CounterCellResult[];
}

/**
 * Strongbox's rate over `kind`'s in one cell: the median of the per-round ratios, as in
 * `pnpm bench`; undefined when either is missing or `kind` finished nothing.
 */
export function ratioOf(cell: CounterCellResult, kind: CounterKind): number | undefined {
  const strongbox = cell.results.find((result) => result.kind === 'strongbox');
  const other = cell.results.find((result) => result.kind === kind);
  if (strongbox === undefined || other === undefined) return undefined;
  return pairedRatio(strongbox.roundOpsPerSec, other.roundOpsPerSec) ?? undefined;
}
