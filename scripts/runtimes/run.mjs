#!/usr/bin/env node
// Runs the runtime-neutral tests (core, memory, the conformance suite, ratelimit on memory) under
// other runtimes: `node scripts/runtimes/run.mjs [runtime...]`, by default all of
// node22 node24 bun deno web. Each runtime runs them twice: under vitest (on that runtime, workers
// included) and the conformance suite under the runtime's own node:test runner. A runtime not
// installed yet is installed from the npm registry into .tmp/runtimes/<runtime> (reused later);
// `nodeNN` is the Node running this script when its major is NN. `web` is Node with `Buffer`
// removed and numeric timer ids in the test processes (see web-runtime.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const INSTALL_DIR = join(root, '.tmp/runtimes');
const DEFAULT_RUNTIMES = ['node22', 'node24', 'bun', 'deno', 'web'];
const VITEST = [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--config',
  'scripts/runtimes/vitest.config.mjs',
];
const NODE_TEST_FILES = [
  './scripts/runtimes/runtime.node-test.mjs',
  './packages/memory/test/conformance.node-test.mjs',
];
const DENO_FLAGS = ['--allow-all', '--no-prompt', '--node-modules-dir=manual'];
/** `deno test` type-checks by default; these are plain JavaScript files run as Node would. */
const DENO_TEST_FLAGS = [...DENO_FLAGS, '--no-check'];

/** How to start each runtime: its npm package, binary, and the commands of its two steps. */
function runtimeSpec(name) {
  if (name === 'bun') {
    return {
      npmPackage: 'bun@1',
      binary: 'bun',
      vitest: (bun) => [bun, '--bun', ...VITEST],
      nodeTest: (bun) => [bun, 'test', ...NODE_TEST_FILES],
    };
  }
  if (name === 'deno') {
    return {
      npmPackage: 'deno@2',
      binary: 'deno',
      vitest: (deno) => [deno, 'run', ...DENO_FLAGS, ...VITEST],
      nodeTest: (deno) => [deno, 'test', ...DENO_TEST_FLAGS, ...NODE_TEST_FILES],
    };
  }
  if (name === 'web') {
    return {
      current: true,
      vitest: (node) => [node, ...VITEST],
      nodeTest: (node) => [
        node,
        '--import',
        './scripts/runtimes/web-runtime.mjs',
        '--test',
        ...NODE_TEST_FILES,
      ],
    };
  }
  const major = /^node(\d+)$/.exec(name)?.[1];
  if (major === undefined) throw new Error(`unknown runtime ${name}: use nodeNN, bun, deno or web`);
  return {
    npmPackage: `node@${major}`,
    binary: 'node',
    current: process.versions.node.split('.')[0] === major,
    vitest: (node) => [node, ...VITEST],
    nodeTest: (node) => [node, '--test', ...NODE_TEST_FILES],
  };
}

/** The runtime's executable: this Node, an earlier install, or a fresh one from npm. */
function executable(name, spec) {
  if (spec.current) return process.execPath;
  const dir = join(INSTALL_DIR, name);
  const bin = join(dir, 'node_modules/.bin', spec.binary);
  if (!existsSync(bin)) {
    console.log(`› installing ${spec.npmPackage} into ${dir}`);
    run([
      'npm',
      'install',
      '--prefix',
      dir,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      spec.npmPackage,
    ]);
  }
  return bin;
}

function run(command, env = {}) {
  const [file, ...args] = command;
  const result = spawnSync(file, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.error) throw result.error;
  return result.status === 0;
}

function version(bin) {
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  // `deno 2.9.6 (stable, ...)`, `1.4.5`, `v24.21.0`: the version number only.
  return /\d+\.\d+\.\d+/.exec(result.stdout ?? '')?.[0] ?? 'unknown';
}

const runtimes = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_RUNTIMES;
const results = [];
for (const name of runtimes) {
  const spec = runtimeSpec(name);
  const bin = executable(name, spec);
  const env = { STRONGBOX_RUNTIME: name };
  const started = performance.now();
  console.log(`\n━━ ${name} (${version(bin)}) ━━`);
  const vitest = run(spec.vitest(bin), env);
  const nodeTest = run(spec.nodeTest(bin), env);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  results.push({ name, version: version(bin), vitest, nodeTest, seconds });
}

const mark = (ok) => (ok ? 'pass' : 'FAIL');
console.log('\nruntime   version                vitest  node:test  seconds');
for (const r of results) {
  console.log(
    `${r.name.padEnd(9)} ${r.version.padEnd(22)} ${mark(r.vitest).padEnd(7)} ${mark(r.nodeTest).padEnd(10)} ${r.seconds}`,
  );
}
process.exitCode = results.every((r) => r.vitest && r.nodeTest) ? 0 : 1;
