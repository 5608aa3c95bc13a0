// The runtime-neutral tests, for run.mjs to run under each runtime: core's and memory's
// tests (the conformance suite with its linearizability workload included) and ratelimit's
// tests on memory, plus a test that the job really runs on the runtime it is for.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['core', 'memory', 'ratelimit'];
/** Imports of server adapters: test files that reach them run in the full suite only. */
const SERVER_PACKAGE = /^@strongbox\/(test-services|postgres|redis)(\/|$)/;
/** Test tooling under those names that starts no server. */
const SERVERLESS_IMPORTS = new Set([
  '@strongbox/test-services/child-process',
  '@strongbox/test-services/seeded-random',
]);
const IMPORT = /(?:from|import)\s*\(?\s*'([^']+)'/g;
/** Test files about Node itself or the repository, not the code under test, with the reason. */
const NOT_RUNTIME_TESTS = {
  'packages/memory/test/conformance-node-test.test.ts':
    'starts `node --test`; run.mjs runs that file under each runtime test runner instead',
  'packages/memory/test/conformance-docs.test.ts': 'checks docs/ against the suite',
  'packages/memory/test/linearizability-margin.test.ts':
    'hundreds of workload runs (minutes per runtime); the full suite runs it on Node',
};

/**
 * Tests of the suite's power to catch broken adapters and of the workload's margins, each many
 * full workload runs. Bun and Deno run them: whether a race shows, and how much calls overlap,
 * depend on the scheduler. The Node lines and `web` schedule like the machine's Node, which runs
 * them in the full suite.
 */
const DETECTION_TESTS = [
  'packages/core/test/linearizability-margin.test.ts',
  'packages/core/test/linearizability-workload.test.ts',
  'packages/memory/test/suite-catches-broken.test.ts',
];
const runtime = process.env.STRONGBOX_RUNTIME ?? '';
const runsDetectionTests = runtime === 'bun' || runtime === 'deno';

function runtimeNeutralTests() {
  return PACKAGES.flatMap((name) => {
    const dir = `packages/${name}/test`;
    let entries;
    try {
      entries = readdirSync(`${root}/${dir}`, { recursive: true });
    } catch {
      return []; // a package that has no tests yet
    }
    return entries
      .filter((entry) => entry.endsWith('.test.ts'))
      .map((entry) => `${dir}/${entry}`)
      .filter((file) => !(file in NOT_RUNTIME_TESTS))
      .filter((file) => runsDetectionTests || !DETECTION_TESTS.includes(file))
      .filter((file) => !needsServer(join(root, file)));
  });
}

/** Whether `file`, or a local module it imports, imports a server adapter. */
function needsServer(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    if (SERVER_PACKAGE.test(specifier) && !SERVERLESS_IMPORTS.has(specifier)) return true;
    if (!specifier.startsWith('.')) continue;
    const local = join(dirname(file), specifier).replace(/\.js$/, '.ts');
    if (existsSync(local) && needsServer(local, seen)) return true;
  }
  return false;
}

export default defineConfig({
  root,
  test: {
    include: ['scripts/runtimes/runtime.test.mjs', ...runtimeNeutralTests()],
    testTimeout: 30_000,
    // `web`: hide Node's globals in the test workers (vitest itself needs them).
    setupFiles: runtime === 'web' ? ['scripts/runtimes/web-runtime.mjs'] : [],
  },
});
