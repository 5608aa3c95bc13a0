import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} PublishedPackage
 * @property {string} dir       the package's folder
 * @property {string} name      its npm name
 * @property {Record<string, unknown>} manifest  its package.json
 */

/**
 * Every package that goes to npm: each folder under `packages/` whose package.json is not private.
 * @param {string} root the repository root
 * @returns {PublishedPackage[]}
 */
export function publishedPackages(root) {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(packagesDir, entry.name))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name, manifest }));
}

/**
 * The import specifiers a package offers: its name plus every `exports` subpath except
 * `./package.json`.
 * @param {PublishedPackage} pkg
 * @returns {string[]}
 */
export function entryPoints(pkg) {
  const exportsMap = pkg.manifest.exports;
  if (typeof exportsMap !== 'object' || exportsMap === null) return [pkg.name];
  return Object.keys(exportsMap)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`));
}

/**
 * Published packages that are not adapters: no `create<Name>Backend` factory that builds a backend
 * from nothing (failover's wraps two backends it is given).
 */
const NOT_ADAPTERS = new Set([
  '@strongbox/core',
  '@strongbox/ratelimit',
  '@strongbox/failover',
  '@strongbox/opentelemetry',
]);

/**
 * The adapter factory DESIGN.md names for an adapter package (`@strongbox/redis` ->
 * `createRedisBackend`), or undefined for a package that is not an adapter.
 * @param {PublishedPackage} pkg
 */
export function factoryName(pkg) {
  if (NOT_ADAPTERS.has(pkg.name)) return undefined;
  const id = pkg.name.replace(/^@strongbox\//, '');
  return `create${id[0].toUpperCase()}${id.slice(1)}Backend`;
}
