import type { KVOperation } from './backend.js';

/** Every stable error code a {@link KVError} can carry. */
export const KV_ERROR_CODES = [
  'INVALID_CONFIG',
  'INVALID_CONN_STRING',
  'INVALID_POOL_CONFIG',
  'INVALID_KEY',
  'INVALID_VALUE',
  'INVALID_TTL',
  'CONNECTION_FAILED',
  'POOL_CREATION_FAILED',
  'PING_FAILED',
  'TABLE_CREATION_FAILED',
  'TABLE_QUERY_FAILED',
  'NOT_A_COUNTER',
  'COUNTER_OVERFLOW',
  'CONFLICT',
  'GET_FAILED',
  'SET_FAILED',
  'CHECK_AND_SET_FAILED',
  'CHECK_AND_DELETE_FAILED',
  'DELETE_FAILED',
  'INCREMENT_FAILED',
  'PURGE_FAILED',
  'TIMEOUT',
  'ABORTED',
  'CLOSED',
  'CLOSE_FAILED',
] as const;

/** A stable error code; see `docs/errors.md` for when each happens and what to do. */
export type KVErrorCode = (typeof KV_ERROR_CODES)[number];

/** The `*_FAILED` code that names a failure of each operation at the backend. */
export const FAILURE_CODE_BY_OP: Readonly<Record<KVOperation, KVErrorCode>> = {
  get: 'GET_FAILED',
  set: 'SET_FAILED',
  checkAndSet: 'CHECK_AND_SET_FAILED',
  checkAndDelete: 'CHECK_AND_DELETE_FAILED',
  delete: 'DELETE_FAILED',
  increment: 'INCREMENT_FAILED',
  // `update` runs on get and checkAndSet, whose errors it passes on unchanged.
  update: 'CHECK_AND_SET_FAILED',
  ping: 'PING_FAILED',
  connect: 'CONNECTION_FAILED',
  purge: 'PURGE_FAILED',
  close: 'CLOSE_FAILED',
};

/** Operations that may change stored data: their in-flight failures are indeterminate. */
export const WRITE_OPS: ReadonlySet<KVOperation> = new Set<KVOperation>([
  'set',
  'checkAndSet',
  'checkAndDelete',
  'delete',
  'increment',
  'update',
  'purge',
]);
