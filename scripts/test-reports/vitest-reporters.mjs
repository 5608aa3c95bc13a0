// Vitest's JSON report for scripts/summarize-tests.mjs, beside the usual console output, when
// STRONGBOX_TEST_REPORTS names a folder. Each package's vitest.config.ts spreads it into `test`.
import { packageName, reportFile, testReportsDir } from './report-file.mjs';

/** `{ reporters }` writing this package's JSON report, or nothing when no folder is set. */
export function testReports() {
  const dir = testReportsDir();
  if (dir === undefined) return {};
  return { reporters: ['default', ['json', { outputFile: reportFile(dir, packageName()) }]] };
}
