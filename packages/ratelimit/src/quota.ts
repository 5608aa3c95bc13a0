import type { KVBackend, OperationOptions } from '@strongbox/core';
import type { QuotaDecision } from './decision.js';

/** What a quota needs for one call. */
export interface QuotaCall {
  backend: KVBackend;
  /** The app clock (ms) read once for the call; 0 where no quota reads it (fixed windows). */
  time: number;
  /** The caller's signal and timeout, passed to every backend call; undefined for neither. */
  options: OperationOptions | undefined;
}

/** One quota of a strategy, on its own backend key. */
export interface Quota {
  /** The quota's name in decisions and keys. */
  readonly name: string;
  /** The most one call may cost. */
  readonly limit: number;
  /** Decide and charge what the strategy charges. */
  allow(key: string, cost: number, call: QuotaCall): Promise<QuotaDecision>;
  /** Decide without charging. */
  peek(key: string, cost: number, call: QuotaCall): Promise<QuotaDecision>;
}

/** A validated strategy: its kind (a key segment) and its quotas. */
export interface Strategy {
  readonly kind: string;
  readonly quotas: readonly Quota[];
}
