#!/usr/bin/env node
// Closes a `pnpm test` run with one line, "Tests: N passed, N failed, N skipped", summed over the
// JSON reports its packages wrote into the folder named by STRONGBOX_TEST_REPORTS (see
// scripts/test-reports). Fails when a test failed, when a package failed outside its tests (a test
// file that did not load, a hook, an unhandled error), or when a package with a `test` script wrote
// no report (its run did not happen or did not finish).
//
// Usage: node scripts/summarize-tests.mjs <reports folder> [workspace root, default this repo]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportFile } from './test-reports/report-file.mjs';
import { workspacePackages } from './workspace-packages.mjs';

const [reportsArg, rootArg] = process.argv.slice(2);
if (reportsArg === undefined) {
  console.error('usage: node scripts/summarize-tests.mjs <reports folder> [workspace root]');
  process.exit(2);
}
const reports = resolve(reportsArg);
const root =
  rootArg === undefined ? fileURLToPath(new URL('..', import.meta.url)) : resolve(rootArg);

/** Names of the workspace packages that have tests: `turbo run test` runs each of them. */
function testedPackages() {
  return workspacePackages(root)
    .map((dir) => join(dir, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')))
    .filter((manifest) => manifest.scripts?.test !== undefined)
    .map((manifest) => manifest.name);
}

const total = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
for (const name of testedPackages()) {
  const file = reportFile(reports, name);
  if (!existsSync(file)) {
    problems.push(`${name}: no report (its tests did not run or did not finish)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests;
  total.skipped += report.numPendingTests + report.numTodoTests;
  if (report.numFailedTests > 0) problems.push(`${name}: ${report.numFailedTests} failed`);
  else if (!report.success) {
    problems.push(`${name}: failed outside its tests (a file that did not load, a hook, an error)`);
  }
}
for (const problem of problems) console.log(`✖ ${problem}`);
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
if (problems.length > 0) process.exit(1);
