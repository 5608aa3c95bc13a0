// A node:test reporter (`--test-reporter=`) writing the counts of vitest's JSON report for
// scripts/summarize-tests.mjs, when STRONGBOX_TEST_REPORTS names a folder. It prints nothing:
// pair it with a console reporter. It writes the file itself because a reporter's destination is
// fixed on the command line, and the folder is not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { packageName, reportFile, testReportsDir } from './report-file.mjs';

/**
 * Counts tests as vitest does: leaves only (no suites, no tests with subtests), skipped and todo
 * apart. A failure anywhere (a suite's hook, a file that does not load) makes `success` false.
 */
export default async function* jsonCounts(source) {
  const counts = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
  let success = true;
  // childDone[n]: a test at nesting n + 1 ended since the last one at nesting n (a test's
  // subtests end before it does).
  const childDone = [];
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const leaf = !childDone[data.nesting];
    childDone[data.nesting] = false;
    if (data.nesting > 0) childDone[data.nesting - 1] = true;
    if (type === 'test:fail' && !data.todo) success = false;
    if (!leaf || data.details?.type === 'suite') continue;
    if (data.todo) counts.numTodoTests++;
    else if (data.skip) counts.numPendingTests++;
    else if (type === 'test:fail') counts.numFailedTests++;
    else counts.numPassedTests++;
  }
  const dir = testReportsDir();
  if (dir === undefined) return;
  const file = reportFile(dir, packageName());
  const numTotalTests = Object.values(counts).reduce((sum, count) => sum + count, 0);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ numTotalTests, ...counts, success })}\n`);
}
