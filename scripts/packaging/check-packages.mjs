/**
 * The packaging test: what an npm user gets. Checks every published package's npm metadata
 * (npm-metadata.mjs), packs it, checks the tarball's contents, lints it (publint, Are the Types
 * Wrong), installs it with npm into a scratch project and checks it loads from ESM and CommonJS,
 * that its types resolve, and that it brings no other adapter's driver and none of this repo's
 * test tooling.
 * Expects the packages to be built (scripts/check-packages.sh builds them first).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintTarball } from './lint-tarball.mjs';
import { checkNpmMetadata } from './npm-metadata.mjs';
import { pack } from './pack.mjs';
import { publishedPackages } from './published-packages.mjs';
import { checkInstalledPackage } from './scratch-project.mjs';
import { checkContents } from './tarball-contents.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    `Node ${process.versions.node}: the CommonJS check needs require() of ES modules, Node >= 20.19`,
  );
  process.exit(1);
}

const workDir = mkdtempSync(join(tmpdir(), 'strongbox-packaging-'));
/** @type {Map<string, string[]>} package name -> problems */
const problems = new Map();
const report = (name, found) => problems.set(name, [...(problems.get(name) ?? []), ...found]);

try {
  const all = publishedPackages(root);
  const tarballs = new Map();
  const tarballDir = join(workDir, 'tarballs');
  mkdirSync(tarballDir);
  for (const pkg of all) {
    console.log(`› pack and lint ${pkg.name}`);
    report(pkg.name, checkNpmMetadata(pkg));
    try {
      const { tarball, files } = pack(pkg.dir, tarballDir);
      tarballs.set(pkg.name, tarball);
      console.log(
        `  ${basename(tarball)}: ${files.length} files, ${Math.round(statSync(tarball).size / 1024)} kB`,
      );
      const { errors, warnings } = checkContents(files);
      for (const warning of warnings) console.log(`  warning: ${pkg.name} ${warning}`);
      report(pkg.name, [...errors, ...lintTarball(root, tarball)]);
    } catch (error) {
      report(pkg.name, [`pnpm pack failed: ${error.message}`]);
    }
  }
  for (const target of all.filter((pkg) => tarballs.has(pkg.name))) {
    console.log(`› install ${target.name} with npm and load it from ESM, CommonJS and TypeScript`);
    if (!tarballs.has('@strongbox/core')) {
      report(target.name, ['cannot install without a @strongbox/core tarball']);
      continue;
    }
    report(target.name, checkInstalledPackage({ root, workDir, target, all, tarballs }));
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

let failed = false;
for (const [name, found] of problems) {
  console.log(`${found.length === 0 ? '✓' : '✗'} ${name}`);
  for (const problem of found) console.log(`    ${problem.replaceAll('\n', '\n    ')}`);
  failed ||= found.length > 0;
}
process.exit(failed ? 1 : 0);
