// The workspace's package folders, for scripts that look at every package.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folders of the workspace's packages (the globs of `pnpm-workspace.yaml`, `dir/*` or `dir`). */
export function workspacePackages(root) {
  const globs = [
    ...readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^ {2}- (.+)$/gm),
  ];
  return globs.flatMap(([, glob]) => {
    if (!glob.endsWith('/*')) return [join(root, glob)];
    const parent = join(root, glob.slice(0, -2));
    return readdirSync(parent).map((name) => join(parent, name));
  });
}
