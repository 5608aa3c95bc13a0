export {
  AdapterOptions,
  type AdapterOptionsShape,
  readAdapterOptions,
  reportBackgroundFailure,
} from './adapter-options.js';
export type {
  Counter,
  IncrementOptions,
  KVBackend,
  KVOperation,
  OperationOptions,
  WriteOptions,
} from './backend.js';
export { KVBackendBase, type KVBackendBaseOptions } from './backend-base.js';
export type { CallContext } from './call-context.js';
export {
  type ConnectionErrorClassifier,
  type ConnectionErrorClassifierOptions,
  createConnectionErrorClassifier,
  DEFAULT_CONNECTION_ERROR_PATTERNS,
  hasStructuredSignal,
} from './classify.js';
export { parseCounter } from './counter.js';
export { type Interruption, raceInterruptions } from './deadline.js';
export {
  type OperationTraceContext,
  TRACING_CHANNEL_PREFIX,
  UPDATE_CONFLICT_CHANNEL,
  type UpdateConflictMessage,
} from './diagnostics.js';
export { FAILURE_CODE_BY_OP, KV_ERROR_CODES, type KVErrorCode, WRITE_OPS } from './error-codes.js';
export { isHealthError, isIndeterminate, isKVError, KVError, type KVErrorInit } from './errors.js';
export { type PurgeSchedule, startPurgeSchedule } from './purge-schedule.js';
export { type OptionsRead, readOptions } from './read-options.js';
export { redactText, SanitizedError, sanitizeError } from './sanitize.js';
export { unrefTimer } from './timers.js';
export { type UpdateOptions, type UpdateStep, update } from './update.js';
export {
  checkDelta,
  checkExpected,
  checkIncrementOptions,
  checkKey,
  checkOperationOptions,
  checkValue,
  checkWriteOptions,
  type Expiry,
  expiryOf,
  MAX_KEY_BYTES,
  MAX_TIMEOUT_MS,
  type ValidationProblem,
} from './validation.js';
export { emitWarning } from './warnings.js';
