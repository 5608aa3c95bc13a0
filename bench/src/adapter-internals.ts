import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, packageDir } from './environment.js';

/**
 * Import a module of an adapter's build that its `exports` map does not publish (its SQL
 * statements or Lua scripts), so the raw-driver baselines send exactly what the adapter sends
 * and cannot drift from it.
 */
export async function importAdapterInternal<T>(packageName: string, distFile: string): Promise<T> {
  const file = join(packageDir(packageName, BENCH_DIR), 'dist', distFile);
  return (await import(pathToFileURL(file).href)) as T;
}
