import { emitWarning, KVError } from '@strongbox/core';

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /**
   * Ms between sweeps that reclaim expired entries (default 1000). Each sweep step reclaims
   * at most a fixed batch, continuing on the next event-loop turn while a backlog remains.
   * An integer from 1 to 2147483647. Expired keys are absent whether swept or not; the sweep
   * only frees their memory.
   */
  sweepInterval?: number | undefined;
  /**
   * The backend's clock in ms, monotonic (default `performance.now`). Inject one to drive TTLs
   * in your own tests: `let t = 0; createMemoryBackend({ clock: () => t })`, then advance `t`.
   */
  clock?: (() => number) | undefined;
  /**
   * Receives background sweep failures as `PURGE_FAILED` KVErrors. Only a throwing or
   * non-finite `clock` can make a sweep fail. Default: core's `emitWarning`
   * (`process.emitWarning`, or `console.warn` on runtimes without `process`).
   */
  onError?: ((error: KVError) => void) | undefined;
  /**
   * Combine concurrent `increment` calls on one key into one (default true). Results are the
   * same either way; `false` is for measuring the difference.
   */
  combine?: boolean | undefined;
}

/** {@link MemoryBackendOptions} with defaults applied. */
export interface MemorySettings {
  sweepInterval: number;
  clock: () => number;
  onError: (error: KVError) => void;
  combine: boolean;
}

/** Default ms between sweeps. */
export const DEFAULT_SWEEP_INTERVAL = 1000;
/** setInterval's largest delay; longer ones fire at once. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;
const KNOWN_OPTIONS = new Set(['sweepInterval', 'clock', 'onError', 'combine']);

/** Validate `options` and apply defaults; throws `INVALID_CONFIG`. */
export function resolveMemoryOptions(options: unknown): MemorySettings {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('options must be an object');
  }
  const unknown = Object.keys(options).filter((name) => !KNOWN_OPTIONS.has(name));
  if (unknown.length > 0) throw invalid(`unknown option(s): ${unknown.join(', ')}`);
  const { sweepInterval, clock, onError, combine } = options as Record<string, unknown>;
  if (
    sweepInterval !== undefined &&
    !(
      Number.isInteger(sweepInterval) &&
      Number(sweepInterval) >= 1 &&
      Number(sweepInterval) <= MAX_TIMER_DELAY
    )
  ) {
    throw invalid(`sweepInterval must be an integer from 1 to ${MAX_TIMER_DELAY} ms`);
  }
  if (clock !== undefined && typeof clock !== 'function') throw invalid('clock must be a function');
  if (onError !== undefined && typeof onError !== 'function') {
    throw invalid('onError must be a function');
  }
  if (combine !== undefined && typeof combine !== 'boolean') {
    throw invalid('combine must be a boolean');
  }
  return {
    sweepInterval: (sweepInterval as number | undefined) ?? DEFAULT_SWEEP_INTERVAL,
    clock: (clock as (() => number) | undefined) ?? (() => performance.now()),
    onError: (onError as ((error: KVError) => void) | undefined) ?? emitWarning,
    combine: (combine as boolean | undefined) ?? true,
  };
}

function invalid(detail: string): KVError {
  return new KVError({ code: 'INVALID_CONFIG', backend: 'memory', detail });
}
