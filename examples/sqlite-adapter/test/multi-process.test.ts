import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSqliteBackend } from '../src/index.js';
import { createTempDir } from './temp-dir.js';

const INCREMENTER = fileURLToPath(new URL('./fixtures/cas-incrementer.js', import.meta.url));
const PROCESSES = 2;
const INCREMENTS_EACH = 400;

const dir = createTempDir();
after(() => dir.remove());

/** Resolve with the child's next IPC message; reject if it exits first. */
function nextMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`incrementer exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message);
    });
  });
}

test('processes sharing one file increment a key by CAS without losing an update', async (t) => {
  const filename = dir.file();
  const children = Array.from({ length: PROCESSES }, () =>
    fork(INCREMENTER, [filename, 'counter', String(INCREMENTS_EACH)], { stdio: 'inherit' }),
  );
  try {
    // Start together, so the increments really interleave.
    assert.deepEqual(
      await Promise.all(children.map(nextMessage)),
      children.map(() => 'ready'),
    );
    const done = children.map(nextMessage);
    for (const child of children) child.send('go');
    const reports = (await Promise.all(done)) as Array<{ conflicts: number }>;
    await Promise.all(children.map((child) => child.exitCode ?? once(child, 'exit')));
    assert.deepEqual(
      children.map((child) => child.exitCode),
      children.map(() => 0),
    );
    t.diagnostic(`CAS attempts that lost a race: ${reports.map((r) => r.conflicts).join(', ')}`);

    await using backend = await createSqliteBackend({ filename });
    assert.equal(await backend.get('counter'), String(PROCESSES * INCREMENTS_EACH));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
});
