import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSqliteBackend } from '../src/index.js';
import { createTempDir } from './temp-dir.js';

const INCREMENTER = fileURLToPath(new URL('./fixtures/incrementer.js', import.meta.url));
const WRITE_LOCK_HOLDER = fileURLToPath(
  new URL('./fixtures/write-lock-holder.js', import.meta.url),
);
const INCREMENTS_EACH = 400;

const dir = createTempDir();
after(() => dir.remove());

/** Resolve with the child's next IPC message; reject if it exits first. */
function nextMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message);
    });
  });
}

/**
 * Run `processes` incrementers of one key on `filename` at once, each `INCREMENTS_EACH` times,
 * and resolve their reports once every one exited cleanly.
 */
async function runIncrementers(
  filename: string,
  processes: number,
  mode: 'cas' | 'increment',
): Promise<unknown[]> {
  const children = Array.from({ length: processes }, () =>
    fork(INCREMENTER, [filename, 'counter', String(INCREMENTS_EACH), mode], { stdio: 'inherit' }),
  );
  try {
    // Start together, so the increments really interleave.
    assert.deepEqual(
      await Promise.all(children.map(nextMessage)),
      children.map(() => 'ready'),
    );
    const done = children.map(nextMessage);
    for (const child of children) child.send('go');
    const reports = await Promise.all(done);
    await Promise.all(children.map((child) => child.exitCode ?? once(child, 'exit')));
    assert.deepEqual(
      children.map((child) => child.exitCode),
      children.map(() => 0),
    );
    return reports;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

test('processes sharing one file increment a key by CAS without losing an update', async (t) => {
  const filename = dir.file();
  const processes = 2;
  const reports = (await runIncrementers(filename, processes, 'cas')) as Array<{
    conflicts: number;
  }>;
  t.diagnostic(`CAS attempts that lost a race: ${reports.map((r) => r.conflicts).join(', ')}`);
  await using backend = await createSqliteBackend({ filename });
  assert.equal(await backend.get('counter'), String(processes * INCREMENTS_EACH));
});

test('processes sharing one file increment a key atomically: each value is handed out once', async () => {
  const filename = dir.file();
  const processes = 3;
  const reports = (await runIncrementers(filename, processes, 'increment')) as Array<{
    values: number[];
  }>;
  const total = processes * INCREMENTS_EACH;
  const handedOut = reports.flatMap((report) => report.values).sort((a, b) => a - b);
  // No lost update and no duplicate: the values are exactly 1..total.
  assert.deepEqual(
    handedOut,
    Array.from({ length: total }, (_, i) => i + 1),
  );
  for (const { values } of reports) {
    assert.ok(
      values.every((value, i) => i === 0 || value > (values[i - 1] as number)),
      'each process sees its own increments in order',
    );
  }
  await using backend = await createSqliteBackend({ filename });
  assert.equal(await backend.get('counter'), String(total));
});

test('opening a file whose write lock another process holds waits for it instead of failing', async () => {
  // Switching to WAL while another process holds the write lock makes SQLite answer BUSY at
  // once (it skips the busy handler where waiting could deadlock), as when processes open a
  // new file together; opening must still wait up to busyTimeout.
  const filename = dir.file();
  const holder = fork(WRITE_LOCK_HOLDER, [filename, '200'], { stdio: 'inherit' });
  try {
    assert.equal(await nextMessage(holder), 'locked');
    await using backend = await createSqliteBackend({ filename, busyTimeout: 30_000 });
    await backend.set('k', 'v');
    assert.equal(await backend.get('k'), 'v');
    assert.equal(holder.exitCode ?? (await once(holder, 'exit'))[0], 0);
  } finally {
    if (holder.exitCode === null) holder.kill();
  }
});
