import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { createSqliteBackend } from '../src/index.js';
import { createTempDir } from './temp-dir.js';

const dir = createTempDir();
after(() => dir.remove());

// Each backend gets its own database file; node:test runs a file's tests one at a time.
describeConformance({
  name: 'strongbox-sqlite',
  create: () => createSqliteBackend({ filename: dir.file() }),
  // increment is native here, so it always reports the counter's ttl.
  requireCounterTtl: true,
  destroy: async (backend) => {
    const { name } = backend.database; // a SqliteBackend: destroy gets create's type
    await backend.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${name}${suffix}`, { force: true });
  },
  runner: {
    describe,
    it: (name, fn) => it(name, { timeout: CONFORMANCE_TEST_TIMEOUT_MS }, fn),
  },
});
