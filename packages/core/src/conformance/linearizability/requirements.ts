/**
 * The shape of the conformance workload, and the least a run must achieve for its
 * linearizability check to mean something.
 */
export const WORKLOAD_REQUIREMENTS = {
  /** Operations per run: enough for each kind of race to happen many times. */
  operations: 2000,
  /** Concurrent clients. */
  clients: 16,
  /** Keys they share: few, so that clients collide. */
  keys: 3,
  /** Faults injected into the fault workload, evenly spaced. */
  faults: 4,
  /** Resolved checkAndSet calls that resolve true: below this, CAS races are not exercised. */
  minCasSuccessRate: 0.2,
  /** Ops overlapping at least one other op on the same key: below this, there is little concurrency to check. */
  minOverlappingFraction: 0.5,
  /** In the hot-key counter workload, increments and updates among the ops. */
  minCounterOpShare: 0.5,
  /** Under faults, ops that must still resolve, so the history says something. */
  minResolvedFractionUnderFaults: 0.5,
} as const;
