/** Linearizability checking: record a concurrent history, check it against a register per key, explain violations. */
export {
  type CheckOptions,
  checkLinearizability,
  type Inconclusive,
  type LinearizabilityResult,
  type Linearizable,
  type Violation,
} from './check.js';
export { checkWorkload, SEED_VARIABLE, type WorkloadReport } from './check-workload.js';
export type {
  CounterRefusal,
  HistoryOp,
  KnownStep,
  OpResult,
  RegisterOp,
  RegisterOutput,
} from './history.js';
export { measureOverlap, type OverlapStats } from './overlap.js';
export { HistoryRecorder, RecordingClient } from './recorder.js';
export { registerLinearizabilityTests } from './register-tests.js';
export { WORKLOAD_REQUIREMENTS } from './requirements.js';
export type { ViolationWindow, WindowEntry, WindowRole } from './violation-window.js';
export {
  runWorkload,
  type WorkloadMix,
  type WorkloadOptions,
  type WorkloadRun,
  type WorkloadStats,
} from './workload.js';
