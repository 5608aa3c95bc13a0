import { type Counter, isKVError, type KVError } from '@strongbox/core';
import { waitUntil } from '@strongbox/test-services';
import { describe, expect, it } from 'vitest';
import type { RedisBackend } from '../src/index.js';
import { INCREMENT } from '../src/scripts.js';
import { TOPOLOGIES, testBackend } from './helpers/backends.js';
import { serversOf } from './helpers/connections.js';
import { sleep } from './helpers/faults.js';
import { commandsUnder, monitorAll } from './helpers/monitor.js';

const MAX = Number.MAX_SAFE_INTEGER; // 9007199254740991

/** Stored values that are not counters: each breaks one part of the canonical form or the range. */
const NOT_COUNTERS = [
  '',
  '01',
  '00',
  '-0',
  '+1',
  ' 1',
  '1 ',
  '1\n',
  '\n1',
  '1e3',
  '1.0',
  '0x10',
  // What Lua's tonumber (strtod) reads as numbers.
  'inf',
  '-inf',
  'nan',
  '-',
  'abc',
  '1\u0000',
  '\u00001',
  '9007199254740992',
  '-9007199254740992',
  '9007199254740993',
  '10000000000000000',
  '😀',
  '١',
];

/** What the server holds for `key`: the value and its absolute expiry (-1: none, -2: absent). */
async function stored(kv: RedisBackend, key: string): Promise<[string | null, number]> {
  const redisKey = kv.keyPrefix + key;
  return [await kv.client.get(redisKey), await kv.client.pexpiretime(redisKey)];
}

async function rejection(work: Promise<unknown>): Promise<KVError> {
  const error = await work.then(
    () => expect.unreachable('expected the increment to reject'),
    (reason: unknown) => reason,
  );
  expect(isKVError(error), String(error)).toBe(true);
  return error as KVError;
}

/** Reject with `code`, neither unhealthy nor indeterminate, leaving value and expiry as they were. */
async function expectRejectedUntouched(
  kv: RedisBackend,
  key: string,
  delta: number,
  code: 'NOT_A_COUNTER' | 'COUNTER_OVERFLOW',
): Promise<void> {
  const before = await stored(kv, key);
  const error = await rejection(kv.increment(key, delta, { ttl: 5_000 }));
  expect(error, `${JSON.stringify(before[0])} + ${delta}`).toMatchObject({
    code,
    op: 'increment',
    unhealthy: false,
    indeterminate: false,
  });
  // Longer values cannot occur in the error's fixed text by chance.
  if (before[0] !== null && before[0].length > 2) expect(error.message).not.toContain(before[0]);
  expect(await stored(kv, key)).toEqual(before);
}

/**
 * The results of concurrent increments form one sequence: sorted by value, each result is the
 * previous one plus its own delta, starting from 0 (positive deltas make the order unique).
 */
function expectOneSequence(results: { delta: number; counter: Counter }[]): void {
  const sorted = [...results].sort((a, b) => a.counter.value - b.counter.value);
  let previous = 0;
  for (const { delta, counter } of sorted) {
    expect(counter.value - delta).toBe(previous);
    previous = counter.value;
  }
}

describe.each(TOPOLOGIES)('increment on a %s Redis', (topology) => {
  it('creates an absent counter with the ttl, or with no expiry', async () => {
    const kv = await testBackend(topology);
    const created = await kv.increment('with-ttl', 5, { ttl: 60_000 });
    expect(created.value).toBe(5);
    expect(created.ttl).toBeGreaterThan(50_000);
    expect(created.ttl).toBeLessThanOrEqual(60_000);
    expect(await kv.get('with-ttl')).toBe('5');
    expect(await kv.client.pttl(`${kv.keyPrefix}with-ttl`)).toBeGreaterThan(50_000);

    expect(await kv.increment('forever')).toEqual({ value: 1, ttl: null });
    expect(await kv.increment('forever-too', 7, { ttl: 0 })).toEqual({ value: 7, ttl: null });
    expect(await kv.client.pttl(`${kv.keyPrefix}forever`)).toBe(-1);
  });

  it("keeps a live counter's expiry, or its lack of one, whatever ttl the call gives", async () => {
    const kv = await testBackend(topology);
    await kv.set('live', '10', { ttl: 60_000 });
    const [, expiresAt] = await stored(kv, 'live');
    const counter = await kv.increment('live', 1, { ttl: 1_000 });
    expect(counter.value).toBe(11);
    expect(counter.ttl).toBeGreaterThan(1_000);
    expect(counter.ttl).toBeLessThanOrEqual(60_000);
    expect(await stored(kv, 'live')).toEqual(['11', expiresAt]);

    await kv.set('no-expiry', '7');
    expect(await kv.increment('no-expiry', 1, { ttl: 5_000 })).toEqual({ value: 8, ttl: null });
    expect(await stored(kv, 'no-expiry')).toEqual(['8', -1]);
  });

  it('counts an expired key as 0 and gives the new counter the call’s ttl', async () => {
    const kv = await testBackend(topology);
    await kv.set('expired', '100', { ttl: 1 });
    // Not read meanwhile: the key is gone by active expiry, or the script's GET finds it expired.
    await sleep(20);
    const counter = await kv.increment('expired', 3, { ttl: 60_000 });
    expect(counter.value).toBe(3);
    expect(counter.ttl).toBeGreaterThan(50_000);
    expect(await kv.get('expired')).toBe('3');
  });

  it('adds zero, negative and default deltas, and works on values set by set()', async () => {
    const kv = await testBackend(topology);
    expect((await kv.increment('z', 0)).value).toBe(0);
    expect(await kv.get('z')).toBe('0');
    expect((await kv.increment('z', -5)).value).toBe(-5);
    expect(await kv.get('z')).toBe('-5');
    expect((await kv.increment('z', 5)).value).toBe(0);
    expect(await kv.get('z')).toBe('0'); // never "-0"
    expect((await kv.increment('z')).value).toBe(1);
    expect((await kv.increment('z', 0)).value).toBe(1);

    await kv.set('from-set', '-42');
    expect((await kv.increment('from-set', 2)).value).toBe(-40);
    expect(await kv.checkAndSet('from-set', '-40', '0')).toBe(true);
    expect((await kv.increment('from-set', -1)).value).toBe(-1);
  });

  it('rejects NOT_A_COUNTER for every non-canonical or out-of-range value, writing nothing', async () => {
    const kv = await testBackend(topology);
    for (const [i, value] of NOT_COUNTERS.entries()) {
      await kv.set(`bad-${i}`, value, { ttl: 60_000 });
      for (const delta of [1, 0, -1]) {
        await expectRejectedUntouched(kv, `bad-${i}`, delta, 'NOT_A_COUNTER');
      }
    }
    await kv.set('bad-forever', '01');
    await expectRejectedUntouched(kv, 'bad-forever', 1, 'NOT_A_COUNTER');
  });

  it('is exact up to +-(2^53 - 1) and rejects COUNTER_OVERFLOW past it, writing nothing', async () => {
    const kv = await testBackend(topology);
    await kv.set('high', '9007199254740990', { ttl: 60_000 });
    await expectRejectedUntouched(kv, 'high', 2, 'COUNTER_OVERFLOW');
    expect((await kv.increment('high', 1)).value).toBe(MAX);
    expect(await kv.get('high')).toBe('9007199254740991');
    await expectRejectedUntouched(kv, 'high', 1, 'COUNTER_OVERFLOW');
    await expectRejectedUntouched(kv, 'high', MAX, 'COUNTER_OVERFLOW');
    expect((await kv.increment('high', 0)).value).toBe(MAX);
    expect((await kv.increment('high', -MAX)).value).toBe(0);

    await kv.set('low', '-9007199254740990');
    await expectRejectedUntouched(kv, 'low', -2, 'COUNTER_OVERFLOW');
    expect((await kv.increment('low', -1)).value).toBe(-MAX);
    expect(await kv.get('low')).toBe('-9007199254740991');
    await expectRejectedUntouched(kv, 'low', -1, 'COUNTER_OVERFLOW');
    await expectRejectedUntouched(kv, 'low', -MAX, 'COUNTER_OVERFLOW');
    expect((await kv.increment('low', MAX)).value).toBe(0);

    // Sums Lua's doubles cannot hold exactly (2^53 + 1) still overflow.
    await kv.set('two', '2');
    await expectRejectedUntouched(kv, 'two', MAX, 'COUNTER_OVERFLOW');
    await expectRejectedUntouched(kv, 'two', MAX - 1, 'COUNTER_OVERFLOW');
    expect((await kv.increment('two', MAX - 2)).value).toBe(MAX);

    expect((await kv.increment('absent-max', MAX)).value).toBe(MAX);
    expect((await kv.increment('absent-min', -MAX)).value).toBe(-MAX);
    expect(await kv.get('absent-min')).toBe('-9007199254740991');
  });

  it('stores counters under the key prefix, apart from other prefixes', async () => {
    const a = await testBackend(topology);
    const b = await testBackend(topology);
    expect((await a.increment('shared', 2)).value).toBe(2);
    expect(await a.client.get(`${a.keyPrefix}shared`)).toBe('2');
    expect(await a.client.exists('shared')).toBe(0);
    expect((await b.increment('shared', 5)).value).toBe(5);
    expect((await a.increment('shared')).value).toBe(3);
    expect(await b.get('shared')).toBe('5');
  });

  for (const combine of [true, false]) {
    it(`loses no increment of 64 concurrent callers on one key (combine: ${combine})`, async () => {
      const kv = await testBackend(topology, { combine });
      await kv.increment('warm'); // loads the script on the node that serves the key's slot
      const seen = await monitorAll(serversOf(kv));
      const deltas = Array.from({ length: 64 }, (_, i) => (i % 5) + 1);
      const counters = await Promise.all(
        deltas.map((delta) => kv.increment('hot', delta, { ttl: 60_000 })),
      );
      const total = deltas.reduce((sum, delta) => sum + delta, 0);
      expect(await kv.get('hot')).toBe(String(total));
      expectOneSequence(deltas.map((delta, i) => ({ delta, counter: counters[i] as Counter })));
      for (const counter of counters) {
        expect(counter.ttl).toBeGreaterThan(0);
        expect(counter.ttl).toBeLessThanOrEqual(60_000);
      }

      // The GET above went to the same server after every increment: once MONITOR shows it,
      // it has shown every script call.
      const hot = () => commandsUnder(seen, `${kv.keyPrefix}hot`);
      await waitUntil('the final GET to be monitored', async () => hot().at(-1)?.args[0] === 'get');
      const scriptCalls = hot().filter((command) => command.args[1] === INCREMENT.sha).length;
      if (combine) expect(scriptCalls).toBeLessThan(64);
      else expect(scriptCalls).toBe(64);
    });
  }
});
