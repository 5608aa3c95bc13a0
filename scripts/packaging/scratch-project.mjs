import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { entryPoints, factoryName } from './published-packages.mjs';

/** Packages a user of any adapter must never receive: test tooling of this repo. */
const TEST_ONLY = [
  /^testcontainers$/,
  /^@testcontainers\//,
  /^@strongbox\/test-services$/,
  /^vitest$/,
];

/**
 * Type packages a peer's declarations import without depending on them (express-rate-limit's
 * types import `express`, whose types its users install themselves). Installed at the version
 * the target's own devDependencies use.
 */
const TYPES_PEERS_NEED = { 'express-rate-limit': '@types/express' };

/** Prints the export names of each specifier in argv[2] (a JSON array), loaded with import(). */
const IMPORT_CHECK = `
const specs = JSON.parse(process.argv[2]);
const names = {};
for (const spec of specs) names[spec] = Object.keys(await import(spec)).sort();
console.log(JSON.stringify(names));
`;

/** The same with require(): Node >= 20.19 loads ES modules synchronously. */
const REQUIRE_CHECK = `
const specs = JSON.parse(process.argv[2]);
const names = {};
for (const spec of specs) names[spec] = Object.keys(require(spec)).sort();
console.log(JSON.stringify(names));
`;

/** Creates an in-process backend with the factory named argv[3] and uses it. */
const SMOKE = (load) => `
const [spec, factory] = process.argv.slice(2);
(async () => {
  const kv = await (${load})[factory]();
  await kv.set('k', 'v', { ttl: 60000 });
  if ((await kv.get('k')) !== 'v') throw new Error('set then get lost the value');
  if ((await kv.checkAndSet('k', 'v', 'w')) !== true) throw new Error('checkAndSet failed');
  await kv.close();
  console.log('ok');
})().catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * Install `target` from its tarball (with @strongbox/core's tarball and the target's peer
 * dependencies at their declared ranges) into a fresh npm project under `workDir`, then check
 * what a user gets. Returns the problems found.
 * @param {object} context
 * @param {string} context.root the repository root (its TypeScript checks the types)
 * @param {string} context.workDir scratch folder for the project
 * @param {import('./published-packages.mjs').PublishedPackage} context.target
 * @param {import('./published-packages.mjs').PublishedPackage[]} context.all every published package
 * @param {Map<string, string>} context.tarballs package name -> tarball path
 * @returns {string[]}
 */
export function checkInstalledPackage({ root, workDir, target, all, tarballs }) {
  const dir = join(workDir, target.name.replace(/^@/, '').replace('/', '-'));
  mkdirSync(dir, { recursive: true });
  const peers = target.manifest.peerDependencies ?? {};
  const dependencies = { ...peers, '@strongbox/core': `file:${tarballs.get('@strongbox/core')}` };
  dependencies[target.name] = `file:${tarballs.get(target.name)}`;
  writeJson(join(dir, 'package.json'), {
    name: 'strongbox-packaging-check',
    private: true,
    dependencies,
    devDependencies: { '@types/node': '^20.19.0', ...peerTypes(target.manifest) },
  });
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (install.status !== 0) return [`npm install failed:\n${install.stdout}${install.stderr}`];

  const specs = entryPoints(target);
  const factory = factoryName(target);
  return [
    ...checkTree(dir, target, all),
    ...checkLoading(dir, specs, factory),
    ...(factory !== undefined && Object.keys(peers).length === 0
      ? checkSmoke(dir, target.name, factory)
      : []),
    ...checkTypes(root, dir, specs, factory, target.name),
  ];
}

/** The {@link TYPES_PEERS_NEED} entries of a manifest's peers, at its devDependencies' versions. */
function peerTypes(manifest) {
  return Object.fromEntries(
    Object.keys(manifest.peerDependencies ?? {})
      .map((peer) => TYPES_PEERS_NEED[peer])
      .filter((types) => types !== undefined)
      .map((types) => [types, manifest.devDependencies?.[types] ?? '*']),
  );
}

/** Only one @strongbox/core, and no other adapter's driver or test tooling in the tree. */
function checkTree(dir, target, all) {
  const ownPeers = new Set(Object.keys(target.manifest.peerDependencies ?? {}));
  const otherDrivers = all
    .flatMap((pkg) => Object.keys(pkg.manifest.peerDependencies ?? {}))
    .filter((name) => !ownPeers.has(name));
  const installed = execFileSync('npm', ['ls', '--all', '--parseable'], {
    cwd: dir,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((line) => line.includes(`node_modules${sep}`))
    .map((line) => relative(dir, line).split(`node_modules${sep}`).at(-1).split(sep).join('/'));
  const problems = installed
    .filter(
      (name) => otherDrivers.includes(name) || TEST_ONLY.some((pattern) => pattern.test(name)),
    )
    .map((name) => `installing ${target.name} also installed ${name}`);
  const cores = installed.filter((name) => name === '@strongbox/core').length;
  if (cores !== 1) problems.push(`the tree holds ${cores} copies of @strongbox/core, expected 1`);
  return [...new Set(problems)];
}

/** Every entry point loads with import() and with require(), with the same non-empty exports. */
function checkLoading(dir, specs, factory) {
  writeFileSync(join(dir, 'import-check.mjs'), IMPORT_CHECK);
  writeFileSync(join(dir, 'require-check.cjs'), REQUIRE_CHECK);
  const loaded = {};
  for (const file of ['import-check.mjs', 'require-check.cjs']) {
    const run = node(dir, [file, JSON.stringify(specs)]);
    if (run.status !== 0) return [`${file} failed:\n${run.stderr}`];
    loaded[file] = JSON.parse(run.stdout);
  }
  const problems = [];
  for (const spec of specs) {
    const viaImport = loaded['import-check.mjs'][spec];
    const viaRequire = loaded['require-check.cjs'][spec];
    if (viaImport.length === 0) problems.push(`${spec} has no exports`);
    if (JSON.stringify(viaImport) !== JSON.stringify(viaRequire)) {
      problems.push(`${spec}: import() gives [${viaImport}] but require() gives [${viaRequire}]`);
    }
  }
  if (factory !== undefined && !loaded['import-check.mjs'][specs[0]].includes(factory)) {
    problems.push(`${specs[0]} does not export ${factory}`);
  }
  return problems;
}

/** An in-process adapter works end to end, loaded from ESM and from CommonJS. */
function checkSmoke(dir, spec, factory) {
  writeFileSync(join(dir, 'smoke.mjs'), SMOKE('await import(spec)'));
  writeFileSync(join(dir, 'smoke.cjs'), SMOKE('require(spec)'));
  return ['smoke.mjs', 'smoke.cjs'].flatMap((file) => {
    const run = node(dir, [file, spec, factory]);
    return run.status === 0 && run.stdout.trim() === 'ok'
      ? []
      : [`${file} failed:\n${run.stdout}${run.stderr}`];
  });
}

/**
 * The types of every entry point resolve for a strict TypeScript user (`nodenext`, no
 * skipLibCheck), from an ES module and from a CommonJS module, and the adapter's factory
 * resolves to a KVBackend.
 */
function checkTypes(root, dir, specs, factory, name) {
  const imports = specs.map((spec, i) => `import * as entry${i} from '${spec}';`);
  const requires = specs.map((spec, i) => `import entry${i} = require('${spec}');`);
  const used = `export const entries = [${specs.map((_, i) => `entry${i}`).join(', ')}];`;
  const factoryCheck =
    factory === undefined
      ? []
      : [
          "import type { KVBackend } from '@strongbox/core';",
          `import { ${factory} } from '${name}';`,
          `export const factory: (...args: never[]) => Promise<KVBackend> = ${factory};`,
        ];
  writeFileSync(join(dir, 'types.mts'), [...imports, ...factoryCheck, used, ''].join('\n'));
  writeFileSync(join(dir, 'types.cts'), [...requires, used, ''].join('\n'));
  writeJson(join(dir, 'tsconfig.json'), {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
    },
    files: ['types.mts', 'types.cts'],
  });
  const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return tsc.status === 0 ? [] : [`tsc --noEmit failed:\n${tsc.stdout}${tsc.stderr}`];
}

function node(dir, args) {
  return spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
