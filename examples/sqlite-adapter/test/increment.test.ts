import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { isKVError, type KVError } from '@strongbox/core';
import Database from 'better-sqlite3';
import { createSqliteBackend, type SqliteBackend } from '../src/index.js';
import { createTempDir } from './temp-dir.js';

const MAX = Number.MAX_SAFE_INTEGER;
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

/** The stored row of `key`, expired or not. */
function rowOf(backend: SqliteBackend, key: string): unknown {
  return backend.database
    .prepare('SELECT value, expires_at FROM strongbox_kv WHERE key = ?')
    .get(key);
}

/** A backend on a fresh file whose clock is `clock.now`, which the test moves by hand. */
async function withClock(start = 1_000): Promise<{ kv: SqliteBackend; clock: { now: number } }> {
  const clock = { now: start };
  const kv = await createSqliteBackend({ filename: dir.file(), clock: () => clock.now });
  return { kv, clock };
}

describe('increment ttl, on an injected clock', () => {
  test('a created counter reports its ttl and expires after it', async () => {
    const { kv, clock } = await withClock(1_000);
    await using _ = kv;
    assert.deepEqual(await kv.increment('c', 1, { ttl: 100 }), { value: 1, ttl: 100 });
    clock.now = 1_099;
    assert.equal(await kv.get('c'), '1');
    clock.now = 1_100;
    assert.equal(await kv.get('c'), null);
  });

  test('a live counter keeps its expiry whatever ttl the call gives, and reports what is left', async () => {
    const { kv, clock } = await withClock(0);
    await using _ = kv;
    await kv.increment('c', 1, { ttl: 100 });
    clock.now = 30;
    assert.deepEqual(await kv.increment('c', 1, { ttl: 500 }), { value: 2, ttl: 70 });
    clock.now = 99.5;
    assert.deepEqual(await kv.increment('c'), { value: 3, ttl: 1 });
    clock.now = 100;
    assert.equal(await kv.get('c'), null);
  });

  test('no ttl, or a live counter without expiry, reports null', async () => {
    const { kv } = await withClock();
    await using _ = kv;
    assert.deepEqual(await kv.increment('c'), { value: 1, ttl: null });
    await kv.set('plain', '7');
    assert.deepEqual(await kv.increment('plain', 1, { ttl: 50 }), { value: 8, ttl: null });
  });

  test('an expired value, counter or not, counts as 0 and takes the call ttl', async () => {
    const { kv, clock } = await withClock(0);
    await using _ = kv;
    await kv.set('counter', '41', { ttl: 10 });
    await kv.set('text', 'not a number', { ttl: 10 });
    clock.now = 10;
    assert.deepEqual(await kv.increment('counter', 5, { ttl: 50 }), { value: 5, ttl: 50 });
    assert.deepEqual(await kv.increment('text', -3), { value: -3, ttl: null });
    clock.now = 60;
    assert.equal(await kv.get('counter'), null);
    assert.equal(await kv.get('text'), '-3');
  });
});

describe("increment on SQLite's own clock", () => {
  test('a created counter reports exactly its ttl, a live one no more than that', async () => {
    await using kv = await createSqliteBackend({ filename: dir.file() });
    assert.deepEqual(await kv.increment('c', 1, { ttl: 60_000 }), { value: 1, ttl: 60_000 });
    const { ttl } = await kv.increment('c');
    assert.ok(typeof ttl === 'number' && ttl >= 1 && ttl <= 60_000, `ttl ${ttl}`);
  });
});

describe('increment values', () => {
  test('adds to a canonical value stored by set; zero and negative deltas; both range ends', async () => {
    await using kv = await createSqliteBackend({ filename: dir.file() });
    await kv.set('c', '42');
    assert.equal((await kv.increment('c', 8)).value, 50);
    assert.equal(await kv.get('c'), '50');
    assert.equal((await kv.increment('c', -51)).value, -1);
    assert.equal((await kv.increment('c', 1)).value, 0);
    assert.equal(await kv.get('c'), '0');
    assert.equal((await kv.increment('c', 0)).value, 0);
    await kv.set('up', String(MAX - 1));
    assert.equal((await kv.increment('up')).value, MAX);
    assert.equal(await kv.get('up'), '9007199254740991');
    assert.equal((await kv.increment('down', -MAX)).value, -MAX);
    assert.equal(await kv.get('down'), '-9007199254740991');
  });
});

describe('increment errors write nothing', () => {
  const notCounters = [
    '',
    '01',
    '-0',
    '+1',
    ' 1',
    '1 ',
    '1e3',
    '1.0',
    '0x1',
    '9007199254740992',
    '-9007199254740992',
    '99999999999999999999',
    '\u0000',
    '1\u0000',
    '1\u00002',
    'secret-token',
  ];
  for (const value of notCounters) {
    test(`a live ${JSON.stringify(value)} is NOT_A_COUNTER; value and expiry stay`, async () => {
      const { kv } = await withClock(0);
      await using _ = kv;
      await kv.set('k', value, { ttl: 100 });
      const before = rowOf(kv, 'k');
      for (const delta of [1, 0, -1]) {
        await rejectsWith(kv.increment('k', delta, { ttl: 5 }), {
          code: 'NOT_A_COUNTER',
          op: 'increment',
          unhealthy: false,
          indeterminate: false,
        });
      }
      assert.deepEqual(rowOf(kv, 'k'), before);
      assert.equal(await kv.get('k'), value);
    });
  }

  test('the error does not echo the stored value', async () => {
    await using kv = await createSqliteBackend({ filename: dir.file() });
    await kv.set('k', 'secret-token');
    const error = await kv.increment('k').catch((e: unknown) => e);
    assert.ok(isKVError(error, 'NOT_A_COUNTER'));
    assert.ok(!error.message.includes('secret-token'));
  });

  const overflows: Array<[string, number]> = [
    [String(MAX), 1],
    [String(-MAX), -1],
    ['1', MAX],
    ['-1', -MAX],
  ];
  for (const [value, delta] of overflows) {
    test(`${value} + ${delta} is COUNTER_OVERFLOW; value and expiry stay`, async () => {
      const { kv } = await withClock(0);
      await using _ = kv;
      await kv.set('k', value, { ttl: 100 });
      const before = rowOf(kv, 'k');
      await rejectsWith(kv.increment('k', delta), {
        code: 'COUNTER_OVERFLOW',
        op: 'increment',
        unhealthy: false,
        indeterminate: false,
      });
      assert.deepEqual(rowOf(kv, 'k'), before);
    });
  }

  test('a lock held past busyTimeout fails the increment as unhealthy and not applied', async () => {
    const filename = dir.file();
    await using kv = await createSqliteBackend({ filename, busyTimeout: 20 });
    await kv.increment('k');
    const other = new Database(filename);
    try {
      other.exec('BEGIN IMMEDIATE');
      await rejectsWith(kv.increment('k'), {
        code: 'INCREMENT_FAILED',
        unhealthy: true,
        indeterminate: false,
      });
      other.exec('ROLLBACK');
      assert.equal(await kv.get('k'), '1');
    } finally {
      other.close();
    }
  });
});
