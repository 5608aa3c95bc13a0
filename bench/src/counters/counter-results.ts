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

/** Strongbox's rate over `kind`'s in one cell, or undefined when either is missing. */
export function ratioOf(cell: CounterCellResult, kind: CounterKind): number | undefined {
  const strongbox = cell.results.find((result) => result.kind === 'strongbox');
  const other = cell.results.find((result) => result.kind === kind);
  if (strongbox === undefined || other === undefined || other.opsPerSec === 0) return undefined;
  return strongbox.opsPerSec / other.opsPerSec;
}
