import type { KVBackend } from '@strongbox/core';

/** The operation a cell measures: a `get` that hits, or a `set`. */
export type OverheadOp = 'get' | 'set';

/** What a comparison measures the cost of. */
export type OverheadSubject = 'failover' | 'instrumentation';

/** One way of serving a cell's calls. */
export interface OverheadSide {
  /** Short name for tables: `direct`, `failover`, `no subscriber`, `OpenTelemetry`. */
  readonly label: string;
  /** What exactly runs, e.g. `createFailoverBackend({ primary: redis, fallback: memory })`. */
  readonly description: string;
  readonly kv: KVBackend;
  /**
   * Switch on what this side needs for its turn only (a subscriber is process-wide and would
   * trace the other side too); returns the switch-off.
   */
  enter?(): () => void;
}

/** `variant`'s cost per call against `baseline`'s, on one backend. */
export interface OverheadComparison {
  readonly subject: OverheadSubject;
  readonly backend: 'memory' | 'redis';
  readonly baseline: OverheadSide;
  readonly variant: OverheadSide;
  /** Calls in flight of the cells measured. */
  readonly concurrencies: readonly number[];
  close(): Promise<void>;
}
