/** Who serves a counter or limiter call in the counters benchmark. */
export type CounterKind =
  | 'strongbox'
  | 'strongbox-uncombined'
  | 'raw'
  | 'rate-limiter-flexible'
  | 'cas-loop';

/** One way of serving `hit(key)`: an increment, or one rate-limiter decision. */
export interface CounterContender {
  readonly kind: CounterKind;
  /** What exactly runs, e.g. `RateLimiterRedis (ioredis)`. */
  readonly description: string;
  hit(key: string): Promise<unknown>;
  close(): Promise<void>;
}

/** The work a cell measures. */
export type CounterScenario =
  | 'increment'
  | 'fixed-window'
  | 'sliding-window'
  | 'token-bucket'
  | 'leaky-bucket'
  | 'gcra';

export const COUNTER_SCENARIOS: readonly CounterScenario[] = [
  'increment',
  'fixed-window',
  'sliding-window',
  'token-bucket',
  'leaky-bucket',
  'gcra',
];

/** One hot key shared by every worker, or a working set of distinct keys. */
export type KeyMode = 'hot' | 'distinct';

/**
 * Limits so large that no call is denied during a run: every contender stays on its admit
 * path, so the cells compare the same work (a denial costs rate-limiter-flexible a rejected
 * promise, and the strategies different amounts of arithmetic).
 */
export const NEVER_DENY = 1_000_000_000;
/** Window, and counter ttl, of every cell: longer than any run. */
export const WINDOW_MS = 600_000;
