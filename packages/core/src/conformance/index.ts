export { describeConformance } from './describe-conformance.js';
export type { WorkloadReport } from './linearizability/check-workload.js';
export type { OverlapStats } from './linearizability/overlap.js';
export type { WorkloadStats } from './linearizability/workload.js';
export {
  CONFORMANCE_TEST_TIMEOUT_MS,
  type ConformanceFaults,
  type ConformanceOptions,
  type ConformanceRunner,
  EXCLUSIVE_RULE_IDS,
  FAULT_RECOVERY_WINDOW_MS,
} from './options.js';
