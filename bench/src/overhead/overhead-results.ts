import type { InstructionCounts } from './instruction-count.js';
import type { OverheadCellResult } from './measure-overhead.js';

/** A whole `pnpm bench:overhead` run. */
export interface OverheadRun {
  startedAt: string;
  durationS: number;
  mode: 'quick' | 'full';
  rounds: number;
  /** Calls per turn, by backend. */
  calls: Record<string, number>;
  node: string;
  /** 1-minute load average at the start and the end. */
  loadAverage: { start: number; end: number };
  cells: OverheadCellResult[];
  /** Instructions per memory get from callgrind, unless skipped. */
  instructions?: InstructionCounts;
  /** Why the instruction count is missing. */
  instructionsSkipped?: string;
}
