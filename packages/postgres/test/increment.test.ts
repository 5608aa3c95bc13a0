import { isKVError, type KVError } from '@strongbox/core';
import { waitUntil } from '@strongbox/test-services';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { holdRowLock } from './support/row-lock.js';
import { adminClient, freshBackend, uniqueTable } from './support/shared-server.js';

const MAX = Number.MAX_SAFE_INTEGER;
const HOURS_OFF = 6 * 3_600_000;

describe('postgres increment', () => {
  const admin = adminClient();
  const applicationName = uniqueTable('increment_app');
  let backend: PostgresBackend;
  let uncombined: PostgresBackend;
  const disposers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const combined = await freshBackend({ applicationName });
    // Without combining: every call is its own statement.
    const plain = await freshBackend({ combine: false });
    backend = combined.backend;
    uncombined = plain.backend;
    disposers.push(combined.dispose, plain.dispose);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
    await admin.end();
  });

  /** The server's clock, as epoch ms with microseconds. */
  async function serverNow(): Promise<number> {
    const [row] = await admin`SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms`;
    return Number(row?.ms);
  }

  /** `key`'s stored row behind the adapter's back: its bytes and its expiry in epoch ms (null: none). */
  async function stored(key: string): Promise<{ value: Buffer; expiresAt: number | null }> {
    const [row] = await admin.unsafe(
      `SELECT value, extract(epoch FROM expires_at) * 1000 AS ms FROM ${backend.table} WHERE key = $1`,
      [key],
    );
    if (row === undefined) throw new Error(`no row for ${key}`);
    return { value: row.value as Buffer, expiresAt: row.ms === null ? null : Number(row.ms) };
  }

  /** Store `value`'s UTF-8 bytes for `key` with an expiry `offsetMs` from the server's now. */
  async function storeRaw(key: string, value: string, offsetMs: number | null): Promise<void> {
    await admin.unsafe(
      `INSERT INTO ${backend.table} (key, value, expires_at)
       VALUES ($1, $2, clock_timestamp() + $3::bigint * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, Buffer.from(value, 'utf8'), offsetMs],
    );
  }

  /** The increment's result with the server clock read just before and just after it. */
  async function timedIncrement(key: string, delta: number, ttl?: number) {
    const before = await serverNow();
    const counter = await backend.increment(key, delta, ttl === undefined ? {} : { ttl });
    const after = await serverNow();
    return { counter, before, after };
  }

  async function rejection(work: Promise<unknown>): Promise<KVError> {
    const error = await work.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );
    if (!isKVError(error)) throw error;
    return error;
  }

  it('creates an absent counter with the ttl, measured on the server clock (a client clock hours off changes nothing)', async () => {
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + HOURS_OFF);
    const { counter, before, after } = await timedIncrement('created', 5, 60_000);
    expect(counter.value).toBe(5);
    const { value, expiresAt } = await stored('created');
    expect(value.toString('utf8')).toBe('5');
    // Written at a server instant between before and after, reported from one after that.
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 60_000);
    expect(counter.ttl).toBeGreaterThanOrEqual((expiresAt as number) - after);
    expect(counter.ttl).toBeLessThanOrEqual(60_000);
    expect(await backend.get('created')).toBe('5');
  });

  it('creates a counter without expiry when ttl is omitted or 0; a live one keeps having none', async () => {
    expect(await backend.increment('forever', 3)).toEqual({ value: 3, ttl: null });
    expect(await backend.increment('forever0', 3, { ttl: 0 })).toEqual({ value: 3, ttl: null });
    expect(await backend.increment('forever', 4, { ttl: 1000 })).toEqual({ value: 7, ttl: null });
    expect((await stored('forever')).expiresAt).toBeNull();
  });

  it('takes the largest ttl, Number.MAX_SAFE_INTEGER ms', async () => {
    for (const value of [1, 2]) {
      const counter = await backend.increment('far', 1, { ttl: MAX });
      expect(counter.value).toBe(value);
      expect(counter.ttl).toBeLessThanOrEqual(MAX);
      expect(counter.ttl).toBeGreaterThan(MAX - 60_000);
    }
  });

  it('a live counter keeps its expiry: the reported ttl only decreases and matches the stored expiry', async () => {
    const first = await timedIncrement('live', 1, 60_000);
    const { expiresAt } = await stored('live');
    let previous = first.counter.ttl as number;
    for (let i = 2; i <= 6; i++) {
      // A different ttl each call: ignored, the counter exists.
      const { counter, before, after } = await timedIncrement('live', 1, 1000 * i);
      expect(counter.value).toBe(i);
      expect((await stored('live')).expiresAt).toBe(expiresAt);
      // ttl = ceil(expiresAt - reading), the reading taken between before and after.
      expect(counter.ttl).toBeGreaterThanOrEqual((expiresAt as number) - after);
      expect(counter.ttl).toBeLessThanOrEqual(Math.ceil((expiresAt as number) - before) + 1);
      expect(counter.ttl).toBeLessThanOrEqual(previous);
      previous = counter.ttl as number;
    }
  });

  it('an expired row counts as 0 and gets the call’s ttl, whatever it held', async () => {
    await storeRaw('expired', '41', -1000);
    const { counter, before, after } = await timedIncrement('expired', 2, 30_000);
    expect(counter.value).toBe(2);
    const { expiresAt } = await stored('expired');
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 30_000);
    expect(counter.ttl).toBeLessThanOrEqual(30_000);

    await storeRaw('expired text', 'not a counter', -1);
    expect(await backend.increment('expired text', -3)).toEqual({ value: -3, ttl: null });
    expect((await stored('expired text')).expiresAt).toBeNull();
  });

  it('the liveness of a locked row is decided once the lock is held, not when the statement started', async () => {
    await storeRaw('locked', '41', 2000);
    const release = await holdRowLock(admin, backend.table, 'locked');
    let pending: Promise<unknown> | undefined;
    try {
      pending = backend.increment('locked', 1, { ttl: 60_000, timeout: 30_000 });
      // It waits for the lock while the row is still live...
      await waitUntil('the increment to wait for the row lock', async () => {
        const [row] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = ${applicationName} AND wait_event_type = 'Lock'`;
        return row?.n === 1;
      });
      expect((await stored('locked')).expiresAt).toBeGreaterThan(await serverNow());
      // ...and gets it only after the row expired.
      await waitUntil(
        'the locked row to expire',
        async () => ((await stored('locked')).expiresAt as number) <= (await serverNow()),
      );
    } finally {
      await release();
    }
    const counter = (await pending) as { value: number; ttl: number | null };
    expect(counter.value).toBe(1);
    expect(counter.ttl).toBeGreaterThan(50_000);
    expect(await backend.get('locked')).toBe('1');
  });

  it('a combined statement keeps running while one member leaves and is cancelled once the last one has', async () => {
    await backend.set('batch', '10');
    /** The increments of `backend` waiting for a row lock, as "pid@query_start". */
    const lockWaiters = async (): Promise<string[]> => {
      const rows = await admin`SELECT pid || '@' || query_start AS id FROM pg_stat_activity
        WHERE application_name = ${applicationName} AND wait_event_type = 'Lock'`;
      return rows.map((row) => String(row.id));
    };
    const release = await holdRowLock(admin, backend.table, 'batch');
    const callers = [new AbortController(), new AbortController(), new AbortController()];
    let members: Array<Promise<KVError>> = [];
    try {
      const lone = rejection(backend.increment('batch', 1, { signal: callers[0]?.signal }));
      await waitUntil('the lone increment to wait for the lock', async () => {
        return (await lockWaiters()).length === 1;
      });
      const [loneStatement] = await lockWaiters();
      members = [2, 4].map((delta, i) =>
        rejection(backend.increment('batch', delta, { signal: callers[i + 1]?.signal })),
      );
      callers[0]?.abort();
      expect((await lone).code).toBe('ABORTED');
      // The lone statement is cancelled and the two waiting calls go out as one statement.
      let batchStatement: string | undefined;
      await waitUntil('the combined increment to wait for the lock', async () => {
        const waiters = await lockWaiters();
        batchStatement = waiters[0];
        return waiters.length === 1 && batchStatement !== loneStatement;
      });
      callers[1]?.abort();
      const first = await (members[0] as Promise<KVError>);
      expect(first).toMatchObject({ code: 'ABORTED', indeterminate: true });
      // Its partner still waits for the answer: the statement is not cancelled.
      for (let i = 0; i < 10; i++) expect(await lockWaiters()).toEqual([batchStatement]);
      callers[2]?.abort();
      const second = await (members[1] as Promise<KVError>);
      expect(second).toMatchObject({ code: 'ABORTED', indeterminate: true });
      await waitUntil('the combined statement to be cancelled', async () => {
        return (await lockWaiters()).length === 0;
      });
    } finally {
      await release();
    }
    // Nothing of the three calls was applied: every statement was cancelled while it waited.
    expect(await backend.get('batch')).toBe('10');
  });

  it('takes zero and negative deltas; a counter at zero reads "0"', async () => {
    expect((await backend.increment('signs', 0)).value).toBe(0);
    expect((await backend.increment('signs', -5)).value).toBe(-5);
    expect((await backend.increment('signs', 0)).value).toBe(-5);
    expect((await backend.increment('signs', 5)).value).toBe(0);
    expect(await backend.get('signs')).toBe('0');
    expect((await backend.increment('signs', -1)).value).toBe(-1);
    expect(await backend.get('signs')).toBe('-1');
  });

  it('a counter is an ordinary string: set and checkAndSet values are counted on', async () => {
    await backend.set('plain', '-12', { ttl: 60_000 });
    expect((await backend.increment('plain', 2)).value).toBe(-10);
    expect(await backend.checkAndSet('plain', '-10', '100', { keepTtl: true })).toBe(true);
    const counter = await backend.increment('plain', 1);
    expect(counter.value).toBe(101);
    expect(counter.ttl).toBeLessThanOrEqual(60_000);
  });

  const notCounters: Array<[string, string]> = [
    ['empty', ''],
    ['leading zero', '01'],
    ['minus zero', '-0'],
    ['plus sign', '+1'],
    ['leading space', ' 1'],
    ['trailing space', '1 '],
    ['trailing newline', '1\n'],
    ['leading newline', '\n1'],
    ['exponent', '1e3'],
    ['decimal point', '1.0'],
    ['hex', '0x1'],
    ['U+0000 alone', '\0'],
    ['U+0000 after digits', '1\0'],
    ['digits after U+0000', '\u00001'],
    ['backslash escape of a digit', '\\061'],
    ['2^53', '9007199254740992'],
    ['-(2^53)', '-9007199254740992'],
    ['17 digits', '12345678901234567'],
    ['20 digits', '99999999999999999999'],
    ['emoji', '😀'],
    ['Arabic-Indic digit', '١'],
    ['fullwidth digit', '１'],
    ['text', 'a secret value'],
  ];

  it.each(notCounters)('NOT_A_COUNTER for %s, writing nothing', async (name, value) => {
    const key = `nac:${name}`;
    await backend.set(key, value, { ttl: 60_000 });
    const before = await stored(key);
    for (const delta of [1, -1, 0, -MAX]) {
      const error = await rejection(backend.increment(key, delta, { ttl: 5 }));
      expect(error.code).toBe('NOT_A_COUNTER');
      expect(error.op).toBe('increment');
      expect(error.unhealthy).toBe(false);
      expect(error.indeterminate).toBe(false);
      if (value.length > 2) expect(error.message).not.toContain(value);
    }
    expect(await stored(key)).toEqual(before);
    expect(await backend.get(key)).toBe(value);
  });

  it.each([
    ['2^53 - 1', String(MAX), 1],
    ['-(2^53 - 1)', String(-MAX), -1],
    ['1', '1', MAX],
    ['-1', '-1', -MAX],
  ])(
    'COUNTER_OVERFLOW past the safe range from %s, writing nothing; the boundary itself is fine',
    async (_, start, delta) => {
      const key = `overflow:${start}:${delta}`;
      await backend.set(key, start, { ttl: 60_000 });
      const before = await stored(key);
      const error = await rejection(backend.increment(key, delta, { ttl: 5 }));
      expect(error.code).toBe('COUNTER_OVERFLOW');
      expect(error.op).toBe('increment');
      expect(error.unhealthy).toBe(false);
      expect(error.indeterminate).toBe(false);
      expect(await stored(key)).toEqual(before);
      // One less reaches the boundary exactly, and a counter there moves back from it.
      const direction = Math.sign(delta);
      expect((await backend.increment(key, delta - direction)).value).toBe(direction * MAX);
      expect(await backend.get(key)).toBe(String(direction * MAX));
      expect((await backend.increment(key, -direction)).value).toBe(direction * (MAX - 1));
    },
  );

  it('creates a counter at either boundary from an absent key', async () => {
    expect((await backend.increment('top', MAX)).value).toBe(MAX);
    expect((await backend.increment('bottom', -MAX)).value).toBe(-MAX);
    expect(await backend.get('top')).toBe(String(MAX));
    expect((await rejection(backend.increment('top'))).code).toBe('COUNTER_OVERFLOW');
  });

  describe.each([
    ['combine: false', () => uncombined],
    ['combining on', () => backend],
  ])('64 concurrent increments of one key (%s)', (_, target) => {
    it('lose nothing and hand out every value once', async () => {
      const kv = target();
      const key = uniqueTable('hot');
      for (let round = 1; round <= 3; round++) {
        const results = await Promise.all(
          Array.from({ length: 64 }, () => kv.increment(key, 1, { ttl: 60_000 })),
        );
        const values = results.map((r) => r.value).sort((a, b) => a - b);
        expect(values).toEqual(Array.from({ length: 64 }, (__, i) => (round - 1) * 64 + i + 1));
        for (const { ttl } of results) expect(ttl).toBeGreaterThan(0);
      }
      expect(await kv.get(key)).toBe(String(3 * 64));
    });

    it('with mixed deltas, sum exactly', async () => {
      const kv = target();
      const key = uniqueTable('mixed');
      const deltas = Array.from({ length: 64 }, (__, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
      const results = await Promise.all(deltas.map((delta) => kv.increment(key, delta)));
      const total = deltas.reduce((a, b) => a + b, 0);
      expect(await kv.get(key)).toBe(String(total));
      // The call that landed last saw the total.
      expect(results.map((r) => r.value)).toContain(total);
    });
  });

  it('under random aborts of combined calls: resolved values are distinct, and the counter ends between the resolved calls and those plus the indeterminate ones', async () => {
    const key = uniqueTable('aborted');
    const resolved: number[] = [];
    let indeterminate = 0;
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const controller = new AbortController();
        const call = backend.increment(key, 1, { signal: controller.signal });
        // Every third call aborts: at once (still waiting) or a little later (maybe sent).
        if (i % 3 === 0) setTimeout(() => controller.abort(), i % 11);
        try {
          resolved.push((await call).value);
        } catch (error) {
          if (!isKVError(error) || error.code !== 'ABORTED') throw error;
          if (error.indeterminate) indeterminate++;
        }
      }),
    );
    const final = Number(await backend.get(key));
    expect(new Set(resolved).size).toBe(resolved.length);
    expect(Math.max(...resolved)).toBeLessThanOrEqual(final);
    expect(final).toBeGreaterThanOrEqual(resolved.length);
    // A call reported determinate was never applied.
    expect(final).toBeLessThanOrEqual(resolved.length + indeterminate);
  });

  it('racing writes that switch the value between a counter and text: each increment counts or is NOT_A_COUNTER', async () => {
    const key = 'switching';
    const outcomes: string[] = [];
    let running = true;
    const writer = (async () => {
      for (let i = 0; running; i++) await uncombined.set(key, i % 2 === 0 ? 'text' : '0');
    })();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 40; i++) {
          outcomes.push(
            await uncombined.increment(key).then(
              () => 'counted',
              (error: unknown) => (isKVError(error) ? error.code : String(error)),
            ),
          );
        }
      }),
    );
    running = false;
    await writer;
    expect(new Set(outcomes)).toEqual(new Set(['counted', 'NOT_A_COUNTER']));
  });
});
