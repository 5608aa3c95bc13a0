import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory for one test file's databases, and a way to name files in it. */
export interface TempDir {
  /** A new file path in the directory (not created). */
  file(name?: string): string;
  /** Remove the directory and everything in it. */
  remove(): void;
}

/** Create a temporary directory; call `remove()` in an `after` hook. */
export function createTempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'strongbox-sqlite-'));
  let count = 0;
  return {
    file: (name = `kv-${++count}.db`) => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
