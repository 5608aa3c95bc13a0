import { type KVError, readAdapterOptions } from '@strongbox/core';

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
  /**
   * Default deadline of each operation in ms (default: none); a call's own `timeout` overrides
   * it. Memory calls finish at once, so it only matters to a subclass whose calls wait.
   */
  operationTimeout?: number | undefined;
  /** Leave keys out of errors (default false). */
  redactKeys?: boolean | undefined;
}

/** {@link MemoryBackendOptions} with defaults applied. */
export interface MemorySettings {
  sweepInterval: number;
  clock: () => number;
  onError: (error: KVError) => void;
  combine: boolean;
  operationTimeout: number | undefined;
  redactKeys: boolean;
}

/** Default ms between sweeps. */
export const DEFAULT_SWEEP_INTERVAL = 1000;
const KNOWN_OPTIONS = [
  'sweepInterval',
  'clock',
  'onError',
  'combine',
  'operationTimeout',
  'redactKeys',
] satisfies (keyof MemoryBackendOptions)[];

/** Validate `options` with core's option checks and apply defaults; throws `INVALID_CONFIG`. */
export function resolveMemoryOptions(options: unknown): MemorySettings {
  const o = readAdapterOptions('memory', options, { known: KNOWN_OPTIONS });
  return {
    sweepInterval: o.interval('sweepInterval', DEFAULT_SWEEP_INTERVAL),
    clock: o.callback('clock', () => performance.now()),
    onError: o.onError(),
    combine: o.boolean('combine', true),
    operationTimeout: o.timeout('operationTimeout'),
    redactKeys: o.boolean('redactKeys', false),
  };
}
