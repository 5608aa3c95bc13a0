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
  /**
   * A run short of a floor below keeps going, a quarter of `operations` at a time, up to this
   * many operations: an adapter that serves the race slowly gets more tries, not a failure.
   */
  maxOperations: 8000,
  /**
   * checkAndSet calls that resolved true, in the register mix: each is a state change the model
   * must explain. Counts, not a rate: a correct adapter that serializes every call wins only
   * 18-25 % of its CAS races (150-230 wins in 2000 ops), memory 24-28 %, and a rate floor
   * failed such adapters now and then.
   */
  minCasWon: 50,
  /** checkAndSet calls that resolved false, in the register mix: each lost a race to another write. */
  minCasLost: 50,
  /** Ops overlapping at least one other op on the same key: below this, there is little concurrency to check. */
  minOverlappingFraction: 0.5,
  /** In the hot-key counter workload, increments and updates among the ops. */
  minCounterOpShare: 0.5,
  /** Under faults, ops that must still resolve, so the history says something. */
  minResolvedFractionUnderFaults: 0.5,
} as const;
