// Where a package's test report goes: one JSON file per package in the folder named by
// STRONGBOX_TEST_REPORTS, shared by the vitest configs, the node:test reporter and the summary.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_REPORTS_ENV = 'STRONGBOX_TEST_REPORTS';
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The reports folder when STRONGBOX_TEST_REPORTS is set, else undefined. A relative path is
 * relative to the repository root: each package's tests run in the package's own folder.
 */
export function testReportsDir(env = process.env) {
  const dir = env[TEST_REPORTS_ENV];
  return dir ? resolve(root, dir) : undefined;
}

/** The report file of the package named `name` (`@scope/name` becomes `@scope+name.json`). */
export function reportFile(dir, name) {
  return join(dir, `${name.replace('/', '+')}.json`);
}

/** The name in `dir/package.json`: the tests run in the package's folder. */
export function packageName(dir = process.cwd()) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
}
