import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { isKVError, type KVError } from '@strongbox/core';
import Database from 'better-sqlite3';
import { createSqliteBackend, type SqliteBackendOptions } from '../src/index.js';
import { createTempDir } from './temp-dir.js';

const dir = createTempDir();
after(() => dir.remove());

/** Assert `promise` rejects with a KVError matching `expected`. */
async function rejectsWith(promise: Promise<unknown>, expected: Partial<KVError>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isKVError(error), `not a KVError: ${String(error)}`);
    for (const [field, value] of Object.entries(expected)) {
      assert.equal(error[field as keyof KVError], value, `${field} of ${error.message}`);
    }
    return true;
  });
}

function rowCount(backend: { database: Database.Database }): number {
  return backend.database.prepare('SELECT count(*) FROM strongbox_kv').pluck().get() as number;
}

describe('sharing one file', () => {
  test("two backends on one file see each other's writes at once", async () => {
    const filename = dir.file();
    await using a = await createSqliteBackend({ filename });
    await using b = await createSqliteBackend({ filename });
    await a.set('k', 'from a');
    assert.equal(await b.get('k'), 'from a');
    assert.equal(await b.checkAndSet('k', 'from a', 'from b'), true);
    assert.equal(await a.checkAndSet('k', 'from a', 'lost'), false);
    assert.equal(await a.get('k'), 'from b');
  });

  test('a lock held past busyTimeout fails the write as unhealthy and not applied; reads go on', async () => {
    const filename = dir.file();
    await using backend = await createSqliteBackend({ filename, busyTimeout: 20 });
    await backend.set('k', 'before');
    const other = new Database(filename);
    try {
      other.exec('BEGIN IMMEDIATE');
      await rejectsWith(backend.set('k', 'blocked'), {
        code: 'SET_FAILED',
        unhealthy: true,
        indeterminate: false,
      });
      assert.equal(await backend.get('k'), 'before', 'WAL readers are not blocked by the writer');
      other.exec('ROLLBACK');
      await backend.set('k', 'after');
      assert.equal(await backend.get('k'), 'after');
    } finally {
      other.close();
    }
  });
});

describe('expiry and purging', () => {
  test('purgeExpired deletes only expired rows, at most batchSize at a time', async () => {
    let now = 1_000;
    await using backend = await createSqliteBackend({
      filename: dir.file(),
      clock: () => now,
      purgeInterval: 0,
    });
    for (let i = 0; i < 5; i++) await backend.set(`short${i}`, 'v', { ttl: 10 });
    await backend.set('long', 'v', { ttl: 1_000 });
    await backend.set('forever', 'v');
    now += 10;
    assert.equal(await backend.purgeExpired(2), 2);
    assert.equal(await backend.purgeExpired(), 3);
    assert.equal(await backend.purgeExpired(), 0);
    assert.equal(rowCount(backend), 2);
    assert.equal(await backend.get('long'), 'v');
  });

  test('the background purge reclaims expired rows by itself', async () => {
    let now = 1_000;
    await using backend = await createSqliteBackend({
      filename: dir.file(),
      clock: () => now,
      purgeInterval: 5,
    });
    await backend.set('gone', 'v', { ttl: 1 });
    await backend.set('kept', 'v');
    now += 1;
    for (let waited = 0; rowCount(backend) > 1; waited += 10) {
      assert.ok(waited < 10_000, 'the expired row was still there after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(await backend.get('kept'), 'v');
  });

  test('background purge failures go to onError as PURGE_FAILED', async () => {
    let clockWorks = true;
    const errors: KVError[] = [];
    await using backend = await createSqliteBackend({
      filename: dir.file(),
      clock: () => {
        if (clockWorks) return 1_000;
        throw new Error('clock broke');
      },
      purgeInterval: 5,
      onError: (error) => errors.push(error),
    });
    await backend.set('k', 'v', { ttl: 1 });
    clockWorks = false;
    for (let waited = 0; errors.length === 0; waited += 10) {
      assert.ok(waited < 10_000, 'no purge failure was reported within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(errors[0]?.code, 'PURGE_FAILED');
    assert.equal(errors[0]?.op, 'purge');
  });

  test('a clock that returns no finite number fails the call instead of corrupting expiry', async () => {
    await using backend = await createSqliteBackend({
      filename: dir.file(),
      clock: () => Number.NaN,
    });
    await rejectsWith(backend.set('k', 'v', { ttl: 10 }), {
      code: 'SET_FAILED',
      indeterminate: false,
    });
    await rejectsWith(backend.get('k'), { code: 'GET_FAILED' });
  });

  test('purgeExpired checks its argument and rejects with CLOSED after close', async () => {
    const backend = await createSqliteBackend({ filename: dir.file() });
    await rejectsWith(backend.purgeExpired(0), { code: 'INVALID_CONFIG', op: 'purge' });
    await backend.close();
    await rejectsWith(backend.purgeExpired(), { code: 'CLOSED', op: 'purge' });
  });
});

describe("the caller's database", () => {
  test('stays open after close() unless closeClient is true', async () => {
    const database = new Database(dir.file());
    try {
      const borrowing = await createSqliteBackend({ database });
      await borrowing.set('k', 'v');
      await borrowing.close();
      assert.equal(database.open, true);
      const owning = await createSqliteBackend({ database, closeClient: true });
      assert.equal(await owning.get('k'), 'v');
      await owning.close();
      assert.equal(database.open, false);
    } finally {
      if (database.open) database.close();
    }
  });

  test('a database the caller closed makes calls fail as unhealthy', async () => {
    const database = new Database(dir.file());
    await using backend = await createSqliteBackend({ database });
    database.close();
    await rejectsWith(backend.get('k'), { code: 'GET_FAILED', unhealthy: true });
    await rejectsWith(backend.ping(), { code: 'PING_FAILED', unhealthy: true });
  });
});

describe('setup', () => {
  const invalid: Array<[string, unknown]> = [
    ['no source', {}],
    ['both sources', { filename: dir.file(), database: new Database(':memory:') }],
    [
      'a table name that is not an identifier',
      { filename: dir.file(), table: 'kv"; DROP TABLE x; --' },
    ],
    ['an unknown option', { filename: dir.file(), tableName: 'kv' }],
    [
      "busyTimeout with a caller's database",
      { database: new Database(':memory:'), busyTimeout: 5 },
    ],
    ['closeClient with a filename', { filename: dir.file(), closeClient: true }],
    ['a negative purgeInterval', { filename: dir.file(), purgeInterval: -1 }],
    ['a clock that is not a function', { filename: dir.file(), clock: 5 }],
  ];
  for (const [what, options] of invalid) {
    test(`${what} rejects with INVALID_CONFIG and creates no file`, async () => {
      await rejectsWith(createSqliteBackend(options as SqliteBackendOptions), {
        code: 'INVALID_CONFIG',
      });
      const filename = (options as { filename?: string }).filename;
      if (filename !== undefined) assert.equal(existsSync(filename), false);
    });
  }

  test('a file that cannot be opened rejects with CONNECTION_FAILED, unhealthy', async () => {
    await rejectsWith(createSqliteBackend({ filename: dir.file('missing-dir/kv.db') }), {
      code: 'CONNECTION_FAILED',
      op: 'connect',
      unhealthy: true,
    });
  });

  test('an existing table of another shape rejects with TABLE_QUERY_FAILED', async () => {
    const filename = dir.file();
    const database = new Database(filename);
    database.exec('CREATE TABLE strongbox_kv (k TEXT PRIMARY KEY)');
    database.close();
    await rejectsWith(createSqliteBackend({ filename }), { code: 'TABLE_QUERY_FAILED' });
  });

  test('tables with different names in one file are separate namespaces', async () => {
    const filename = dir.file();
    await using first = await createSqliteBackend({ filename, table: 'first' });
    await using second = await createSqliteBackend({ filename, table: 'second' });
    await first.set('k', '1');
    assert.equal(await second.get('k'), null);
  });
});
