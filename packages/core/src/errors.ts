import type { KVOperation } from './backend.js';
import type { KVErrorCode } from './error-codes.js';

/** Marks KVErrors across duplicated copies of this package (a registered symbol is shared). */
const KV_ERROR_BRAND = Symbol.for('@strongbox/core/KVError');

/** What a {@link KVError} is built from. */
export interface KVErrorInit {
  code: KVErrorCode;
  backend: string;
  op?: KVOperation | undefined;
  /** The key involved; leave out when the backend redacts keys. */
  key?: string | undefined;
  /** The backend is unreachable or unavailable (default false). */
  unhealthy?: boolean | undefined;
  /** A write may or may not have been applied (default false). */
  indeterminate?: boolean | undefined;
  /** The underlying error, already sanitized (see `sanitizeError`). */
  cause?: unknown;
  /** A short human explanation; appended to the generated message. */
  detail?: string | undefined;
}

/**
 * The one error type every Strongbox operation rejects with. Branch on `code`, `unhealthy`
 * and `indeterminate` (see `docs/errors.md`), or use {@link isKVError},
 * {@link isHealthError} and {@link isIndeterminate}, which work across package copies.
 */
export class KVError extends Error {
  override readonly name = 'KVError';
  /** Stable code; see `docs/errors.md`. */
  readonly code: KVErrorCode;
  /** Name of the adapter that raised it. */
  readonly backend: string;
  /** The operation that failed. */
  declare readonly op?: KVOperation;
  /** The key involved, unless the backend's `redactKeys` option is set. */
  declare readonly key?: string;
  /** The backend is unreachable or unavailable (connectivity, not a caller bug). */
  readonly unhealthy: boolean;
  /** A write may or may not have been applied. */
  readonly indeterminate: boolean;

  constructor(init: KVErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.backend = init.backend;
    if (init.op !== undefined) this.op = init.op;
    if (init.key !== undefined) this.key = init.key;
    this.unhealthy = init.unhealthy ?? false;
    this.indeterminate = init.indeterminate ?? false;
    Object.defineProperty(this, KV_ERROR_BRAND, { value: true });
  }
}

function describe(init: KVErrorInit): string {
  const where = init.op ? `${init.backend}.${init.op}` : init.backend;
  const key = init.key === undefined ? '' : ` (key ${JSON.stringify(truncate(init.key))})`;
  const detail = init.detail ? `: ${init.detail}` : '';
  return `${init.code} in ${where}${key}${detail}`;
}

function truncate(key: string): string {
  return key.length > 80 ? `${key.slice(0, 80)}…` : key;
}

/** True when `error` is a KVError (from any copy of this package), optionally with `code`. */
export function isKVError(error: unknown, code?: KVErrorCode): error is KVError {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[KV_ERROR_BRAND] !== true) return false;
  return code === undefined || (error as KVError).code === code;
}

/** True when `error` is a KVError saying the backend is unreachable or unavailable. */
export function isHealthError(error: unknown): error is KVError {
  return isKVError(error) && error.unhealthy;
}

/** True when `error` is a KVError from a write that may or may not have been applied. */
export function isIndeterminate(error: unknown): error is KVError {
  return isKVError(error) && error.indeterminate;
}
