import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CONFORMANCE_TEST_TIMEOUT_MS } from '@strongbox/core/conformance';
import { expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';
import { collectSuite } from './broken/run-suite.js';

const NODE_TEST_FILE = fileURLToPath(new URL('./conformance.node-test.mjs', import.meta.url));

/** Run `node --test` on `file` with the TAP reporter; resolves to its exit code and output. */
function runNodeTest(file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The number after `# name` in a TAP summary. */
function summaryCount(output: string, name: string): number | undefined {
  const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

// Runs the built packages (dist/): `pnpm test` builds them first.
it(
  'memory passes every conformance test under node:test as well',
  async () => {
    const { code, output } = await runNodeTest(NODE_TEST_FILE);
    const expected = collectSuite(createMemoryBackend).length;
    expect(code, output).toBe(0);
    expect(summaryCount(output, 'pass'), output).toBe(expected);
    expect(summaryCount(output, 'fail'), output).toBe(0);
  },
  CONFORMANCE_TEST_TIMEOUT_MS * 2,
);
