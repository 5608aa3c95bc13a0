import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCH_DIR, packageDir } from '../environment.js';

/** The check as core's build emits it (packages/core/src/diagnostics.ts). */
const IS_OBSERVED = /export function isObserved\(op\) \{[^}]*\}/;

/** Which copy of core the memory backend loads. */
export type CoreBuild = 'stock' | 'stripped';

/**
 * Copies of `@strongbox/memory` and the `@strongbox/core` it imports under `dir/<build>/`:
 * `stock` as built, `stripped` with core's diagnostics check folded to `false`, so `run()`
 * never reaches the traced path and V8 drops the check: core as if built without
 * instrumentation, nothing else changed. Both are copies, laid out alike, so the two differ
 * only in that line. Returns each build's memory entry point.
 */
export async function prepareCoreCopies(dir: string): Promise<Record<CoreBuild, string>> {
  const entries = {} as Record<CoreBuild, string>;
  for (const build of ['stock', 'stripped'] as const) {
    const modules = join(dir, build, 'node_modules', '@strongbox');
    for (const name of ['core', 'memory']) {
      const source = packageDir(`@strongbox/${name}`, BENCH_DIR);
      await cp(join(source, 'package.json'), join(modules, name, 'package.json'));
      await cp(join(source, 'dist'), join(modules, name, 'dist'), { recursive: true });
    }
    if (build === 'stripped') {
      const file = join(modules, 'core', 'dist', 'diagnostics.js');
      const source = await readFile(file, 'utf8');
      if (!IS_OBSERVED.test(source)) {
        throw new Error(`isObserved() not found in ${file}: update the pattern`);
      }
      await writeFile(
        file,
        source.replace(IS_OBSERVED, 'export function isObserved(op) { return false; }'),
      );
    }
    entries[build] = join(modules, 'memory', 'dist', 'index.js');
  }
  return entries;
}
