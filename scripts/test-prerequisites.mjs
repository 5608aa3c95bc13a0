#!/usr/bin/env node
// Runs before `pnpm test`: makes a fresh clone ready for the whole suite. Installs the workspace
// when it was not (or only partly, e.g. for the demo) installed, then makes sure the tests can
// reach a PostgreSQL and a Redis server (see packages/test-services for how they find one).
// Missing server binaries are installed with scripts/install-prerequisites.sh where that can
// run unattended (apt-get, as root or with password-less sudo), unless
// STRONGBOX_NO_PROVISION=1; otherwise this fails with one line naming that command.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspacePackages } from './workspace-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const INSTALL_COMMAND = 'bash scripts/install-prerequisites.sh';

function workspaceInstalled() {
  if (!existsSync(join(root, 'node_modules/.bin/turbo'))) return false;
  return workspacePackages(root)
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .every((dir) => existsSync(join(dir, 'node_modules')));
}

function onPath(command) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .some((dir) => dir !== '' && existsSync(join(dir, command)));
}

function succeeds(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/** `pg_config --bindir`, where Debian keeps initdb and postgres off the PATH. */
function postgresBinaries() {
  const result = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const bindir = result.status === 0 ? result.stdout.trim() : '';
  const has = (name) => (bindir !== '' && existsSync(join(bindir, name))) || onPath(name);
  return has('initdb') && has('postgres');
}

function dockerEngine() {
  return process.env.DOCKER_HOST !== undefined || existsSync('/var/run/docker.sock');
}

/** What the suite lacks: server binaries it would start, when no URL or Docker engine is given. */
function missingServers() {
  if (dockerEngine()) return [];
  const missing = [];
  if (process.env.TEST_POSTGRES_URL === undefined && !postgresBinaries()) {
    missing.push('PostgreSQL server binaries (initdb, postgres)');
  }
  const redisByUrl =
    process.env.TEST_REDIS_URL !== undefined && process.env.TEST_REDIS_CLUSTER_NODES !== undefined;
  if (!redisByUrl && !(onPath('redis-server') && onPath('redis-cli'))) {
    missing.push('redis-server and redis-cli');
  }
  return missing;
}

function canProvision() {
  if (process.env.STRONGBOX_NO_PROVISION === '1' || !onPath('apt-get')) return false;
  return process.getuid?.() === 0 || succeeds('sudo', ['-n', 'true']);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!workspaceInstalled()) {
  console.log('› installing the workspace (pnpm install)');
  run('pnpm', ['install', '--frozen-lockfile']);
}

let missing = missingServers();
if (missing.length > 0 && canProvision()) {
  console.log(`› installing ${missing.join(' and ')}`);
  run('bash', ['scripts/install-prerequisites.sh']);
  missing = missingServers();
}
if (missing.length > 0) {
  console.error(
    `pnpm test needs ${missing.join(' and ')} (or Docker, or TEST_POSTGRES_URL / TEST_REDIS_URL): run \`${INSTALL_COMMAND}\` (Debian/Ubuntu), then \`pnpm test\` again.`,
  );
  process.exit(1);
}
