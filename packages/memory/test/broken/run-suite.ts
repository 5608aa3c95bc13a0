import type { KVBackend } from '@strongbox/core';
import {
  CONFORMANCE_TEST_TIMEOUT_MS,
  type ConformanceFaults,
  describeConformance,
  EXCLUSIVE_RULE_IDS,
} from '@strongbox/core/conformance';

/** One collected conformance test. */
export interface SuiteTest {
  ruleId: string;
  name: string;
  run: () => Promise<void>;
}

/** How one test went. */
export interface TestResult {
  ruleId: string;
  name: string;
  error?: unknown;
}

/** What to run the suite against. */
export interface SuiteTarget {
  name: string;
  create: () => Promise<KVBackend>;
  faults?: ConformanceFaults;
}

/** The suite's tests against `create`, collected by a runner that only records them. */
export function collectSuite(
  create: () => Promise<KVBackend>,
  faults?: ConformanceFaults,
): SuiteTest[] {
  const tests: SuiteTest[] = [];
  describeConformance({
    name: 'collected',
    create,
    ...(faults === undefined ? {} : { faults }),
    runner: {
      describe: (_name, register) => register(),
      it: (name, run) => tests.push({ ruleId: ruleIdOf(name), name, run }),
    },
  });
  return tests;
}

/** The rule id a test name starts with: `[cas.absent] ...` gives `cas.absent`. */
export function ruleIdOf(name: string): string {
  const match = /^\[([^\]]+)\] /.exec(name);
  if (match?.[1] === undefined) throw new Error(`test name without a rule id: ${name}`);
  return match[1];
}

/** Whether a test replaces process-wide state and so must not overlap any other test. */
export function runsAlone(test: SuiteTest): boolean {
  return (EXCLUSIVE_RULE_IDS as readonly string[]).includes(test.ruleId);
}

/** Run `tests` one after another, each bounded by the suite's per-test timeout. */
export async function runInOrder(tests: readonly SuiteTest[]): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const test of tests) {
    const error = await runBounded(test).then(
      () => undefined,
      (failure: unknown) => failure ?? new Error('rejected without a reason'),
    );
    results.push({
      ruleId: test.ruleId,
      name: test.name,
      ...(error === undefined ? {} : { error }),
    });
  }
  return results;
}

function runBounded(test: SuiteTest): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${CONFORMANCE_TEST_TIMEOUT_MS} ms`)),
      CONFORMANCE_TEST_TIMEOUT_MS,
    );
  });
  return Promise.race([test.run(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Run the whole suite against each of several backends. Each backend's tests run in order,
 * backends side by side, then the tests that replace process-wide state run alone.
 */
export async function runSuites(
  targets: readonly SuiteTarget[],
): Promise<Map<string, TestResult[]>> {
  const suites = targets.map(({ name, create, faults }) => ({
    name,
    tests: collectSuite(create, faults),
  }));
  const shared = await Promise.all(
    suites.map(({ tests }) => runInOrder(tests.filter((t) => !runsAlone(t)))),
  );
  const results = new Map<string, TestResult[]>();
  for (const [i, { name, tests }] of suites.entries()) {
    results.set(name, [...(shared[i] ?? []), ...(await runInOrder(tests.filter(runsAlone)))]);
  }
  return results;
}
