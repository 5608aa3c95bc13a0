import type { AdapterExtras } from './adapters.js';
import type { AdapterName } from './config.js';
import type { Environment } from './environment.js';

/** Everything about a run besides its records: `bench/results/latest-context.json`. */
export interface RunContext {
  startedAt: string;
  durationS: number;
  mode: 'quick' | 'full';
  /** 1-minute load average when the run started and when it ended (another process's load skews a run). */
  loadAverage: { start: number; end: number };
  /** How long each measurement ran, for the docs' method section. */
  method: {
    /** How many sittings each cell had, as text (`2`, or `2; 1 at c64 for ...`); rounds before 2026-12-02. */
    rounds: string;
    /**
     * What a quick networked sitting holds, as text. Absent in full runs and earlier runs: a
     * sitting was one round, one window per contender, each after its own warm-up.
     */
    sittings?: string;
    /**
     * Adapters whose cells took turns sitting by sitting, a Postgres checkpoint forced only when
     * a timed one could land in the next sitting. Absent in earlier runs: every cell ran its rounds
     * back to back, after a forced checkpoint on Postgres.
     */
    interleaved?: AdapterName[];
    /** By adapter and concurrency (runs before 2026-12-02 recorded one number per adapter). */
    warmupMs: Partial<Record<AdapterName, { c1: number; c64: number } | number>>;
    durationMs: Partial<Record<AdapterName, { c1: number; c64: number }>>;
    sustainedMs: number;
    roundTripMs: number;
  };
  environment: Environment;
  serverSettings: Partial<Record<AdapterName, Record<string, string>>>;
  /** What each contender ran, by adapter and contender kind (absent in runs before it was recorded). */
  contenders?: Partial<Record<AdapterName, Record<string, string>>>;
  extras: Partial<Record<AdapterName, AdapterExtras>>;
}
