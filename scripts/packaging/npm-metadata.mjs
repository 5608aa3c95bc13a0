import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The Node versions DESIGN.md names: the ranges where `require()` of ES modules works. */
export const ENGINES_NODE = '^20.19.0 || >=22.12.0';

/**
 * What npm's package page and search show, checked: description, keywords, repository (with
 * the package's folder), homepage, bugs, `sideEffects: false`, the engines range, and a
 * README whose links work on the registry page (absolute, or in-page anchors).
 * @param {import('./published-packages.mjs').PublishedPackage} pkg
 * @returns {string[]} problems
 */
export function checkNpmMetadata(pkg) {
  const { manifest } = pkg;
  const problems = [];
  const need = (ok, what) => ok || problems.push(`package.json: ${what}`);
  need(typeof manifest.description === 'string' && manifest.description !== '', 'description');
  need(Array.isArray(manifest.keywords) && manifest.keywords.length > 0, 'keywords');
  need(typeof manifest.homepage === 'string', 'homepage');
  need(manifest.bugs !== undefined, 'bugs');
  need(typeof manifest.repository?.url === 'string', 'repository.url');
  need(
    manifest.repository?.directory === `packages/${basename(pkg.dir)}`,
    `repository.directory "packages/${basename(pkg.dir)}"`,
  );
  need(manifest.sideEffects === false, 'sideEffects: false');
  need(manifest.engines?.node === ENGINES_NODE, `engines.node "${ENGINES_NODE}"`);
  const readme = join(pkg.dir, 'README.md');
  if (!existsSync(readme)) return [...problems, 'README.md missing'];
  for (const [, target] of readFileSync(readme, 'utf8').matchAll(/\]\(([^)\s]+)/g)) {
    if (!/^(https?:|mailto:|#)/.test(target)) {
      problems.push(`README.md: relative link ${target} breaks on the npm page`);
    }
  }
  return problems;
}
