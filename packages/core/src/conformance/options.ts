import type { KVBackend } from '../backend.js';
import type { WorkloadReport } from './linearizability/check-workload.js';

/**
 * The per-test timeout, in ms, a runner needs for the conformance suite. Most tests take
 * milliseconds and the TTL tests a few hundred; the fault tests allow a dropped backend up to
 * {@link FAULT_RECOVERY_WINDOW_MS} to recover, and `linearizability.faults` runs two workloads
 * with drops and checks each history (up to 10 s of search each) on a loaded CI machine. Pass it to your runner, e.g. vitest's
 * `it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS)` or node:test's `{ timeout }`.
 */
export const CONFORMANCE_TEST_TIMEOUT_MS = 60_000;

/** How long the fault tests wait for a backend to serve requests again after its connections were cut. */
export const FAULT_RECOVERY_WINDOW_MS = 10_000;

/** The test-runner functions the suite calls (vitest, node:test, mocha, jest, ...). */
export interface ConformanceRunner {
  /** Declare a group. The suite's `fn` only registers tests: it does no I/O. */
  describe(name: string, fn: () => void): unknown;
  /** Declare a test. `fn` creates its own backend and destroys it before settling. */
  it(name: string, fn: () => Promise<void>): unknown;
}

/** Hooks that let the suite break a networked backend on purpose; `B` is your backend's type. */
export interface ConformanceFaults<B extends KVBackend = KVBackend> {
  /**
   * Cut every connection of `backend` (and only of it); the server stays up. Resolves how many
   * it cut: a fault test whose cut found no connection proves nothing, so it fails.
   */
  dropConnections(backend: B): Promise<number>;
}

/**
 * How to run the conformance suite against an adapter. `B` is what `create` resolves (inferred
 * from it), so `destroy` and `faults` receive your own backend type without a cast.
 */
export interface ConformanceOptions<B extends KVBackend = KVBackend> {
  /** Name of the top-level group, e.g. the adapter's package name. */
  name: string;
  /** A fresh backend: its own namespace (table, prefix or instance) and its own connections. */
  create: () => Promise<B>;
  /** Release a backend from `create` (default: `close()`). May receive an already-closed backend. */
  destroy?: ((backend: B) => Promise<void>) | undefined;
  /** The caller's test runner; only `describe(name, fn)` and `it(name, fn)` are called. */
  runner: ConformanceRunner;
  /** Given for networked backends: adds the tests that drop connections and expect recovery. */
  faults?: ConformanceFaults<B> | undefined;
  /**
   * Require `increment` to report every counter's remaining ttl (a number, or null for no
   * expiry). Default false: `ttl: undefined` is accepted for a counter the call did not create,
   * which is all `KVBackendBase`'s default `doIncrement` can say. Adapters that implement
   * `doIncrement` natively (every built-in one) set it.
   */
  requireCounterTtl?: boolean | undefined;
  /**
   * Called after each run of the linearizability workloads (`linearizability.workload` and
   * `linearizability.faults`), passing or failing, with its seed, counts and measures and the
   * stress floors it missed: log `report.summary` to see how far your adapter is from them.
   */
  onWorkload?: ((report: WorkloadReport) => void) | undefined;
}

/**
 * Rule ids of the tests that temporarily replace process-wide state (the global `Date`). A
 * runner that runs tests concurrently must run these alone; vitest and node:test run the
 * tests of a file one after another by default.
 */
export const EXCLUSIVE_RULE_IDS: readonly string[] = ['clock.backend'];
