import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPostgresBackend } from '@strongbox/postgres';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { type BackendKind, uniqueName } from './support/backends.js';

const run = promisify(execFile);
const HAMMER = fileURLToPath(new URL('./support/hammer.mjs', import.meta.url));
const PROCESSES = 4;
const CALLERS = 30;
const BOUND = 20;
const STRATEGIES = ['fixedWindow', 'slidingWindow', 'tokenBucket', 'leakyBucket', 'gcra'];

/** Where the child processes connect, and a namespace of their own (a Postgres table is created first). */
async function target(kind: BackendKind): Promise<{ target: unknown; namespace: string }> {
  const namespace = uniqueName(kind);
  if (kind === 'redis') return { target: inject('redisUrl'), namespace };
  if (kind === 'cluster') return { target: inject('redisClusterNodes'), namespace };
  const setup = await createPostgresBackend({ url: inject('postgresUrl'), table: namespace });
  onTestFinished(async () => {
    await setup.sql.unsafe(`DROP TABLE IF EXISTS "${namespace}"`);
    await setup.close();
  });
  return { target: inject('postgresUrl'), namespace };
}

describe('never over the limit across processes (the built package, on the dist)', () => {
  it.each(['postgres', 'redis', 'cluster'] as const)(
    '%s: 4 processes × 30 concurrent callers on one key, per strategy, admit exactly the bound',
    async (kind) => {
      const args = {
        kind,
        ...(await target(kind)),
        bound: BOUND,
        callers: CALLERS,
        frozen: Date.now(),
      };
      const outputs = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          run(process.execPath, [HAMMER, JSON.stringify(args)]),
        ),
      );
      const results = outputs.map(
        ({ stdout }) =>
          JSON.parse(stdout) as { admitted: Record<string, number>; failures: string[] },
      );
      expect(results.flatMap((r) => r.failures)).toEqual([]);
      for (const strategy of STRATEGIES) {
        const total = results.reduce((sum, r) => sum + (r.admitted[strategy] ?? 0), 0);
        expect(total, strategy).toBe(BOUND);
      }
    },
  );
});
