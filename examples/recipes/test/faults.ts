import {
  FAILURE_CODE_BY_OP,
  type KVBackend,
  KVError,
  type KVOperation,
  WRITE_OPS,
} from '@strongbox/core';
import { InterceptedBackend } from './intercepted-backend.js';

/**
 * How an injected failure behaves:
 * - `unhealthy`: the backend is unreachable and nothing was sent (`*_FAILED`, unhealthy);
 * - `lost`: the request timed out and was never applied (`TIMEOUT`, indeterminate for writes);
 * - `applied`: the request was applied but its reply was lost (`TIMEOUT`, indeterminate for writes).
 */
export type Fault = 'unhealthy' | 'lost' | 'applied';

/** Wrap `inner` so that chosen calls fail the way a network makes them fail. */
export function withFaults(inner: KVBackend) {
  const pending = new Map<KVOperation, Fault[]>();
  const kv = new InterceptedBackend(inner, async (op, key, forward) => {
    const fault = pending.get(op)?.shift();
    if (fault === undefined) return forward();
    if (fault === 'applied') await forward();
    throw faultError(fault, op, key);
  });
  return {
    kv,
    /** Fail the next calls of `op`, one fault per call, in order. */
    inject(op: KVOperation, ...faults: Fault[]): void {
      pending.set(op, [...(pending.get(op) ?? []), ...faults]);
    },
    /** How many injected faults have not happened yet. */
    untriggered(): number {
      return [...pending.values()].reduce((sum, faults) => sum + faults.length, 0);
    },
  };
}

function faultError(fault: Fault, op: KVOperation, key: string | undefined): KVError {
  const where = { backend: 'memory', op, ...(key === undefined ? {} : { key }) };
  if (fault === 'unhealthy') {
    return new KVError({ ...where, code: FAILURE_CODE_BY_OP[op], unhealthy: true });
  }
  return new KVError({
    ...where,
    code: 'TIMEOUT',
    unhealthy: true,
    indeterminate: WRITE_OPS.has(op),
  });
}
