import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The machine and software a run measured, recorded beside its numbers. */
export interface Environment {
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
  /** Library versions as installed, by package name. */
  libraries: Record<string, string>;
}

/** The bench package's own directory. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages the bench imports directly, then the drivers the peers use underneath. */
const DIRECT = [
  '@strongbox/core',
  '@strongbox/memory',
  '@strongbox/postgres',
  '@strongbox/redis',
  'postgres',
  'ioredis',
  'keyv',
  '@keyv/postgres',
  '@keyv/redis',
  'unstorage',
];
const TRANSITIVE: [string, string][] = [
  ['pg', '@keyv/postgres'],
  ['@redis/client', '@keyv/redis'],
  ['ioredis', 'unstorage'],
];

/** Describe this machine and the installed library versions. */
export function describeEnvironment(): Environment {
  const libraries: Record<string, string> = {};
  for (const name of DIRECT) libraries[name] = versionOf(name, BENCH_DIR);
  for (const [name, parent] of TRANSITIVE) {
    libraries[`${name} (via ${parent})`] = versionOf(name, packageDir(parent, BENCH_DIR));
  }
  // Keyv 6 lives in a package of its own (bench/peers/keyv6) beside Keyv 5.
  const keyv6Dir = packageDir('@strongbox/bench-keyv6', BENCH_DIR);
  libraries['keyv (Keyv 6)'] = versionOf('keyv', keyv6Dir);
  libraries['@keyv/redis (Keyv 6)'] = versionOf('@keyv/redis', keyv6Dir);
  libraries['@redis/client (via @keyv/redis, Keyv 6)'] = versionOf(
    '@redis/client',
    packageDir('@keyv/redis', keyv6Dir),
  );
  const [cpu] = cpus();
  return {
    machine: {
      cpu: cpu?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${type()} ${release()}`,
      node: process.version,
    },
    libraries,
  };
}

/** The directory `name` resolves to from `fromDir`, walking up `node_modules` like Node does. */
export function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`cannot find ${name} from ${fromDir}`);
  }
}

function versionOf(name: string, fromDir: string): string {
  const manifest = JSON.parse(
    readFileSync(join(packageDir(name, fromDir), 'package.json'), 'utf8'),
  );
  return String(manifest.version);
}
