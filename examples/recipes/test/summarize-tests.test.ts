// The repository's test summary (scripts/summarize-tests.mjs) and the node:test reporter feeding
// it (scripts/test-reports/node-test-reporter.mjs), run as CI runs them, on a fixture workspace.
// They live here because this package already holds the repository-level checks (docs quotes).
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../../..');
const FIXTURES = join(import.meta.dirname, 'fixtures/test-reports');
const SUMMARIZE = join(REPO, 'scripts/summarize-tests.mjs');
const REPORTER = join(REPO, 'scripts/test-reports/node-test-reporter.mjs');
/** Report files of the fixture workspace's two tested packages (`@scope/name` → `@scope+name`). */
const WEB_REPORT = '@fixture+web.json';
const CLI_REPORT = 'fixture-cli.json';

let workspace: string;

/** Runs node with `args` in `cwd`; resolves with the exit code and stdout, failed or not. */
async function node(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, env });
    return { code: 0, stdout };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, stdout };
  }
}

/** Runs the node:test reporter on a fixture test file in the `cli` package; returns its report. */
async function nodeTestReport(fixture: string, reports: string): Promise<unknown> {
  const { stdout } = await node(
    ['--test', `--test-reporter=${REPORTER}`, '--test-reporter-destination=stdout', fixture],
    join(workspace, 'packages/cli'),
    { ...process.env, STRONGBOX_TEST_REPORTS: reports },
  );
  expect(stdout).toBe(''); // it prints nothing: a console reporter runs beside it
  return JSON.parse(await readFile(join(reports, CLI_REPORT), 'utf8'));
}

/** A reports folder holding `files` (report file name → fixture report to copy). */
async function reportsFolder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(workspace, name);
  await mkdir(dir);
  for (const [file, fixture] of Object.entries(files)) {
    await copyFile(join(FIXTURES, fixture), join(dir, file));
  }
  return dir;
}

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'strongbox-summary-'));
  await writeFile(join(workspace, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  const manifests = {
    web: { name: '@fixture/web', scripts: { test: 'vitest run' } },
    cli: { name: 'fixture-cli', scripts: { test: 'node --test' } },
    docs: { name: 'fixture-docs', scripts: { build: 'true' } }, // no tests, so no report
  };
  for (const [dir, manifest] of Object.entries(manifests)) {
    await mkdir(join(workspace, 'packages', dir), { recursive: true });
    await writeFile(join(workspace, 'packages', dir, 'package.json'), JSON.stringify(manifest));
  }
  await mkdir(join(workspace, 'reports-passing'));
  await nodeTestReport(join(FIXTURES, 'node-test-passing.mjs'), join(workspace, 'reports-passing'));
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('node:test reporter', () => {
  it('counts leaf tests as vitest does, todo and skipped apart; any failure fails the run', async () => {
    const reports = join(workspace, 'reports-outcomes');
    const report = await nodeTestReport(join(FIXTURES, 'node-test-outcomes.mjs'), reports);
    expect(report).toEqual({
      numTotalTests: 10,
      numPassedTests: 6,
      numFailedTests: 1,
      numPendingTests: 1,
      numTodoTests: 2,
      success: false,
    });
  });

  it('reports a run without failures as a success', async () => {
    const report = JSON.parse(
      await readFile(join(workspace, 'reports-passing', CLI_REPORT), 'utf8'),
    );
    expect(report).toEqual({
      numTotalTests: 3,
      numPassedTests: 2,
      numFailedTests: 0,
      numPendingTests: 1,
      numTodoTests: 0,
      success: true,
    });
  });
});

describe('summarize-tests.mjs', () => {
  async function summarize(reports: string): Promise<{ code: number; lines: string[] }> {
    const { code, stdout } = await node([SUMMARIZE, reports, workspace], REPO);
    return { code, lines: stdout.trimEnd().split('\n') };
  }

  it("sums every tested package's report into one closing line and succeeds", async () => {
    const reports = join(workspace, 'reports-passing');
    await copyFile(join(FIXTURES, 'vitest-passed.json'), join(reports, WEB_REPORT));
    expect(await summarize(reports)).toEqual({
      code: 0,
      lines: ['Tests: 4 passed, 0 failed, 3 skipped'],
    });
  });

  it('fails on a failed test, naming the package', async () => {
    const reports = await reportsFolder('reports-failed', {
      [WEB_REPORT]: 'vitest-failed.json',
      [CLI_REPORT]: 'vitest-passed.json',
    });
    expect(await summarize(reports)).toEqual({
      code: 1,
      lines: ['✖ @fixture/web: 1 failed', 'Tests: 3 passed, 1 failed, 2 skipped'],
    });
  });

  it('fails on a package that failed outside its tests (a test file that did not load)', async () => {
    const reports = await reportsFolder('reports-load-error', {
      [WEB_REPORT]: 'vitest-load-error.json',
      [CLI_REPORT]: 'vitest-passed.json',
    });
    const { code, lines } = await summarize(reports);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^✖ @fixture\/web: failed outside its tests/);
    expect(lines.slice(1)).toEqual(['Tests: 3 passed, 0 failed, 2 skipped']);
  });

  it('fails on a tested package without a report; a package without tests needs none', async () => {
    const reports = await reportsFolder('reports-missing', { [WEB_REPORT]: 'vitest-passed.json' });
    const { code, lines } = await summarize(reports);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^✖ fixture-cli: no report/);
    expect(lines.slice(1)).toEqual(['Tests: 2 passed, 0 failed, 2 skipped']);
  });
});
