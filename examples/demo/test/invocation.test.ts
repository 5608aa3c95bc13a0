import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const demoDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * `pnpm demo -- options` at the root runs `pnpm --filter @strongbox/demo start`, and pnpm hands
 * the literal `--` on to the program. `pnpm run start -- options` here does exactly the same.
 */
async function pnpmStart(...args: string[]) {
  return run('pnpm', ['run', '--silent', 'start', '--', ...args], {
    cwd: demoDir,
    env: { ...process.env, STRONGBOX_URL: '' },
  });
}

describe('the documented invocation', () => {
  beforeAll(() => {
    if (!existsSync(new URL('../dist/main.js', import.meta.url))) {
      throw new Error('build the demo first: pnpm --filter @strongbox/demo build');
    }
  });

  it('`pnpm demo -- --help` prints the usage', async () => {
    const { stdout } = await pnpmStart('--help');
    expect(stdout).toMatch(/^Usage: pnpm demo \[-- options\]/);
  });

  it('`pnpm demo -- options` runs all four phases on memory and checks the bound in each', async () => {
    const { stdout } = await pnpmStart('--duration', '100', '--clients', '3', '--limit', '4');
    expect(stdout).toMatch(/fixedWindow\(\{ limit: 4, windowMs: 250 \}\) on backend memory/);
    expect(stdout.match(/combining (on|off): bound held/g)).toHaveLength(4);
    expect(stdout).toMatch(/OK: no window of any key admitted more than 4 requests/);
  }, 30_000);

  it('a bad option exits with status 2 and says why', async () => {
    await expect(pnpmStart('--limit', '0')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--limit must be a positive integer, got "0"/),
    });
  });
});
