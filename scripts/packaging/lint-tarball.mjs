import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Run publint (strict: warnings fail) and Are the Types Wrong (esm-only profile: the packages
 * are ESM-only, so CommonJS and node10 resolutions are not expected to find types) on a tarball.
 * @param {string} root the repository root, whose node_modules/.bin holds both tools
 * @param {string} tarball
 * @returns {string[]} one report per failing tool
 */
export function lintTarball(root, tarball) {
  const bin = (tool) => join(root, 'node_modules', '.bin', tool);
  const runs = [
    ['publint', [bin('publint'), 'run', tarball, '--strict']],
    [
      'attw',
      [bin('attw'), tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color'],
    ],
  ];
  const failures = [];
  for (const [tool, [command, ...args]] of runs) {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      failures.push(`${tool} failed:\n${result.stdout}${result.stderr}`);
    }
  }
  return failures;
}
