import { execFileSync } from 'node:child_process';

/**
 * `pnpm pack` a package into `destination`. pnpm (unlike npm) rewrites `workspace:` ranges to
 * real versions, which is what publishing does too.
 * @param {string} dir the package folder
 * @param {string} destination folder for the tarball
 * @returns {{ tarball: string, files: string[] }} the tarball's path and the files it holds
 */
export function pack(dir, destination) {
  const output = execFileSync('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
  });
  const packed = JSON.parse(output);
  return { tarball: packed.filename, files: packed.files.map((file) => file.path) };
}
