export { createFailoverBackend } from './create-failover-backend.js';
export { FailoverBackend } from './failover-backend.js';
export {
  DEFAULT_COOLDOWN_MS,
  DEFAULT_FAILURE_THRESHOLD,
  DEFAULT_PROBE_TIMEOUT_MS,
  type FailoverBackendOptions,
  type FailoverState,
} from './options.js';
