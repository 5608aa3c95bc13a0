import type { KVBackend } from '../backend.js';

/** The test-runner functions the suite calls (vitest, node:test, mocha, ...). */
export interface ConformanceRunner {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => Promise<void>): unknown;
}

/** How to run the conformance suite against an adapter. */
export interface ConformanceOptions {
  name: string;
  create: () => Promise<KVBackend>;
  destroy?: (backend: KVBackend) => Promise<void>;
  runner: ConformanceRunner;
  faults?: { dropConnections(backend: KVBackend): Promise<void> };
}

/** Register the conformance suite's tests with `options.runner`. (Placeholder: filled in next.) */
export function describeConformance(options: ConformanceOptions): void {
  options.runner.describe(options.name, () => {});
}
