import { inspect } from 'node:util';
import { EXCLUSIVE_RULE_IDS } from '@strongbox/core/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';
import { type BrokenFixture, FIXTURES, nonAtomicCas, nonAtomicIncrement } from './broken/index.js';
import { collectSuite, runInOrder, runSuites, type TestResult } from './broken/run-suite.js';

/** Runs of each non-atomic fixture's hot-key tests: every one must catch it. */
const NON_ATOMIC_RUNS = 20;

/** The failures of `results` that `expected` does not name, with their messages, for a readable diff. */
function unexpectedFailures(results: readonly TestResult[], expected: readonly string[]): string {
  return results
    .filter((result) => 'error' in result && !expected.includes(result.ruleId))
    .map(
      (result) =>
        `${result.name}\n    ${inspect(result.error).split('\n').slice(0, 4).join('\n    ')}`,
    )
    .join('\n');
}

describe('the conformance suite fails each broken memory adapter in exactly the tests of its defect', () => {
  const ruleIdsOf = (fixture: BrokenFixture) =>
    collectSuite(fixture.create, fixture.faults).map((test) => test.ruleId);
  let outcomes: Map<string, TestResult[]>;

  beforeAll(async () => {
    outcomes = await runSuites(FIXTURES);
  }, 120_000);

  it('has at least ten broken fixtures, each naming rule ids the suite has', () => {
    expect(FIXTURES.filter((fixture) => fixture.breaks.length > 0).length).toBeGreaterThanOrEqual(
      10,
    );
    for (const fixture of FIXTURES) {
      const ruleIds = ruleIdsOf(fixture);
      for (const id of fixture.breaks) expect(ruleIds, `${fixture.name} names ${id}`).toContain(id);
    }
    const memoryRuleIds = collectSuite(createMemoryBackend).map((test) => test.ruleId);
    for (const id of EXCLUSIVE_RULE_IDS) expect(memoryRuleIds).toContain(id);
  });

  for (const fixture of FIXTURES) {
    const expected = [...fixture.breaks].sort();
    it(`${fixture.name} (${fixture.defect}) fails only [${expected.join(', ')}]`, () => {
      const results = outcomes.get(fixture.name) ?? [];
      expect(results.map((result) => result.ruleId).sort()).toEqual(ruleIdsOf(fixture).sort());
      const failed = results.filter((result) => 'error' in result).map((result) => result.ruleId);
      expect(failed.sort(), unexpectedFailures(results, expected)).toEqual(expected);
    });
  }

  // The linearizability check of a non-atomic increment spends ~10 s shrinking its violation,
  // too slow to repeat: that fixture repeats its increment rules (the suite run above checks
  // the linearizability workload once).
  it.each([
    { fixture: nonAtomicCas, rules: nonAtomicCas.breaks },
    {
      fixture: nonAtomicIncrement,
      rules: ['increment.concurrent', 'increment.overflow.concurrent'],
    },
  ])(
    `catches $fixture.name in $rules on each of ${NON_ATOMIC_RUNS} runs`,
    async ({ fixture, rules }) => {
      expect(fixture.breaks).toEqual(expect.arrayContaining([...rules]));
      const hotKeyTests = collectSuite(fixture.create).filter((test) =>
        rules.includes(test.ruleId),
      );
      expect(hotKeyTests).toHaveLength(rules.length);
      for (let run = 0; run < NON_ATOMIC_RUNS; run++) {
        const results = await runInOrder(hotKeyTests);
        expect(results.filter((result) => !('error' in result)).map((r) => r.name)).toEqual([]);
      }
    },
  );
});
