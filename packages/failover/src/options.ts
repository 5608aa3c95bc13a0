import { type KVBackend, KVError, MAX_TIMEOUT_MS } from '@strongbox/core';

/** Where calls go: the primary, the fallback (breaker open), or the fallback while one probe runs. */
export type FailoverState = 'primary' | 'fallback' | 'probing';

/** Options of `createFailoverBackend`. */
export interface FailoverBackendOptions {
  /** The backend calls go to while it is healthy. */
  primary: KVBackend;
  /** The backend calls go to while the breaker is open (usually a memory backend). */
  fallback: KVBackend;
  /**
   * Consecutive unhealthy failures of the primary that open the breaker (default 5). A positive
   * safe integer. Failures caused by the caller's own `signal` or `timeout` never count.
   */
  failureThreshold?: number | undefined;
  /**
   * Ms after the breaker opens (or a probe fails) before the next call starts a probe of the
   * primary (default 5000). An integer from 0 to 2147483647.
   */
  cooldownMs?: number | undefined;
  /**
   * Deadline in ms of each probe (`primary.ping`), so a hung primary cannot leave the breaker
   * probing forever (default 5000). An integer from 1 to 2147483647.
   */
  probeTimeout?: number | undefined;
  /**
   * Called synchronously on every state change, with the new and the previous state. It must
   * not throw; an error it throws is ignored so that it cannot fail the call that moved the breaker.
   */
  onStateChange?: ((state: FailoverState, previous: FailoverState) => void) | undefined;
  /** `close()` closes the primary as well (default false: the caller keeps ownership). */
  closePrimary?: boolean | undefined;
  /** `close()` closes the fallback as well (default false: the caller keeps ownership). */
  closeFallback?: boolean | undefined;
  /**
   * Leave keys out of the wrapper's own errors and diagnostics (default false). Set it like
   * the inner backends' option: their errors, kept as `cause`, follow their own setting.
   */
  redactKeys?: boolean | undefined;
}

/** {@link FailoverBackendOptions} with defaults applied. */
export interface FailoverSettings {
  primary: KVBackend;
  fallback: KVBackend;
  failureThreshold: number;
  cooldownMs: number;
  probeTimeout: number;
  onStateChange: ((state: FailoverState, previous: FailoverState) => void) | undefined;
  closePrimary: boolean;
  closeFallback: boolean;
  redactKeys: boolean;
}

/** Default consecutive unhealthy failures that open the breaker. */
export const DEFAULT_FAILURE_THRESHOLD = 5;
/** Default ms between the breaker opening and the next probe. */
export const DEFAULT_COOLDOWN_MS = 5000;
/** Default deadline of a probe in ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

const KNOWN_OPTIONS = new Set<string>([
  'primary',
  'fallback',
  'failureThreshold',
  'cooldownMs',
  'probeTimeout',
  'onStateChange',
  'closePrimary',
  'closeFallback',
  'redactKeys',
] satisfies (keyof FailoverBackendOptions)[]);
const BACKEND_METHODS = [
  'get',
  'set',
  'checkAndSet',
  'checkAndDelete',
  'delete',
  'increment',
  'ping',
  'close',
] as const;

/** Validate `options` and apply defaults; throws `INVALID_CONFIG`. */
export function resolveFailoverOptions(options: unknown): FailoverSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('options must be an object with primary and fallback');
  }
  const unknown = Object.keys(options).filter((name) => !KNOWN_OPTIONS.has(name));
  if (unknown.length > 0) throw invalid(`unknown option(s): ${unknown.join(', ')}`);
  const o = options as Record<string, unknown>;
  checkBackend('primary', o.primary);
  checkBackend('fallback', o.fallback);
  if (o.primary === o.fallback) throw invalid('primary and fallback must be different backends');
  checkInteger('failureThreshold', o.failureThreshold, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('cooldownMs', o.cooldownMs, 0, MAX_TIMEOUT_MS);
  checkInteger('probeTimeout', o.probeTimeout, 1, MAX_TIMEOUT_MS);
  if (o.onStateChange !== undefined && typeof o.onStateChange !== 'function') {
    throw invalid('onStateChange must be a function');
  }
  for (const name of ['closePrimary', 'closeFallback', 'redactKeys']) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') {
      throw invalid(`${name} must be a boolean`);
    }
  }
  return {
    primary: o.primary as KVBackend,
    fallback: o.fallback as KVBackend,
    failureThreshold: (o.failureThreshold as number | undefined) ?? DEFAULT_FAILURE_THRESHOLD,
    cooldownMs: (o.cooldownMs as number | undefined) ?? DEFAULT_COOLDOWN_MS,
    probeTimeout: (o.probeTimeout as number | undefined) ?? DEFAULT_PROBE_TIMEOUT_MS,
    onStateChange: o.onStateChange as FailoverSettings['onStateChange'],
    closePrimary: (o.closePrimary as boolean | undefined) ?? false,
    closeFallback: (o.closeFallback as boolean | undefined) ?? false,
    redactKeys: (o.redactKeys as boolean | undefined) ?? false,
  };
}

function checkBackend(name: string, backend: unknown): void {
  const missing =
    typeof backend !== 'object' || backend === null
      ? BACKEND_METHODS
      : BACKEND_METHODS.filter(
          (method) => typeof (backend as Record<string, unknown>)[method] !== 'function',
        );
  if (missing.length > 0) {
    throw invalid(`${name} must be a KVBackend (missing ${missing.join(', ')})`);
  }
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}`);
  }
}

function invalid(detail: string): KVError {
  return new KVError({ code: 'INVALID_CONFIG', backend: 'failover', op: 'connect', detail });
}
