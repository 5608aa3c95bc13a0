import { type Counter, isKVError } from '@strongbox/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/create-memory-backend.js';
import { MemoryBackend } from '../src/memory-backend.js';
import type { MemoryBackendOptions } from '../src/options.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** The rejection of `promise`, failing the test when it resolves. */
const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );

/** A memory backend that counts the increment requests it serves (combined ones count once). */
class CountingMemoryBackend extends MemoryBackend {
  requests = 0;

  constructor(options: MemoryBackendOptions) {
    super(options);
  }

  protected override doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    this.requests++;
    return super.doIncrement(key, delta, ttl);
  }
}

describe('memory increment', () => {
  describe('ttl, on the injected clock', () => {
    it('a created counter reports its ttl and expires after it', async () => {
      let now = 1_000;
      await using kv = await createMemoryBackend({ clock: () => now });
      expect(await kv.increment('c', 1, { ttl: 100 })).toEqual({ value: 1, ttl: 100 });
      now = 1_099;
      expect(await kv.get('c')).toBe('1');
      now = 1_100;
      expect(await kv.get('c')).toBeNull();
    });

    it('a live counter keeps its expiry whatever ttl the call gives, and reports what is left', async () => {
      let now = 0;
      await using kv = await createMemoryBackend({ clock: () => now });
      await kv.increment('c', 1, { ttl: 100 });
      now = 30;
      expect(await kv.increment('c', 1, { ttl: 500 })).toEqual({ value: 2, ttl: 70 });
      now = 99;
      expect(await kv.increment('c')).toEqual({ value: 3, ttl: 1 });
      now = 100;
      expect(await kv.get('c')).toBeNull();
    });

    it('a counter without expiry reports null, created or live', async () => {
      await using kv = await createMemoryBackend({ clock: () => 0 });
      expect(await kv.increment('c')).toEqual({ value: 1, ttl: null });
      expect(await kv.increment('c', 1, { ttl: 0 })).toEqual({ value: 2, ttl: null });
      await kv.set('plain', '7');
      expect(await kv.increment('plain', 1, { ttl: 50 })).toEqual({ value: 8, ttl: null });
    });

    it('an expired counter counts as 0 and the call gives it its own ttl', async () => {
      let now = 0;
      await using kv = await createMemoryBackend({ clock: () => now });
      await kv.set('c', '41', { ttl: 10 });
      now = 10;
      expect(await kv.increment('c', 5, { ttl: 50 })).toEqual({ value: 5, ttl: 50 });
      now = 59;
      expect(await kv.get('c')).toBe('5');
      now = 60;
      expect(await kv.get('c')).toBeNull();
    });

    it('an expired non-counter is absent too: the call creates a counter', async () => {
      let now = 0;
      await using kv = await createMemoryBackend({ clock: () => now });
      await kv.set('c', 'not a number', { ttl: 10 });
      now = 10;
      expect(await kv.increment('c', -3)).toEqual({ value: -3, ttl: null });
    });

    it('rounds a fractional remainder up, never below 1', async () => {
      let now = 0;
      await using kv = await createMemoryBackend({ clock: () => now });
      await kv.increment('c', 1, { ttl: 100 });
      now = 10.25;
      expect((await kv.increment('c')).ttl).toBe(90);
      now = 99.999;
      expect((await kv.increment('c')).ttl).toBe(1);
    });

    it('a fractional clock reading does not round float noise up into an extra ms', async () => {
      // (now + 54501) - now is 54501.00000000006 in doubles.
      const now = 517_898.963_403_278_2;
      await using kv = await createMemoryBackend({ clock: () => now });
      expect(await kv.increment('c', 1, { ttl: 54_501 })).toEqual({ value: 1, ttl: 54_501 });
      expect(await kv.increment('c')).toEqual({ value: 2, ttl: 54_501 });
    });
  });

  describe('values', () => {
    it('adds to a canonical value stored by set, and get sees the result as a string', async () => {
      await using kv = await createMemoryBackend();
      await kv.set('c', '42');
      expect(await kv.increment('c', 8)).toEqual({ value: 50, ttl: null });
      expect(await kv.get('c')).toBe('50');
      expect(await kv.checkAndSet('c', '50', '-7')).toBe(true);
      expect((await kv.increment('c')).value).toBe(-6);
    });

    it('takes zero and negative deltas, crossing zero in canonical form', async () => {
      await using kv = await createMemoryBackend();
      expect((await kv.increment('c', 0)).value).toBe(0);
      expect(await kv.get('c')).toBe('0');
      expect((await kv.increment('c', -2)).value).toBe(-2);
      expect(await kv.get('c')).toBe('-2');
      expect((await kv.increment('c', 2)).value).toBe(0);
      expect(await kv.get('c')).toBe('0');
      expect((await kv.increment('c', 0)).value).toBe(0);
    });

    it('reaches both ends of the safe-integer range', async () => {
      await using kv = await createMemoryBackend();
      await kv.set('up', String(MAX - 1));
      expect((await kv.increment('up')).value).toBe(MAX);
      expect(await kv.get('up')).toBe('9007199254740991');
      await kv.set('down', String(-MAX + 1));
      expect((await kv.increment('down', -1)).value).toBe(-MAX);
      expect((await kv.increment('fresh', -MAX)).value).toBe(-MAX);
      expect((await kv.increment('fresh', MAX)).value).toBe(0);
      expect((await kv.increment('fresh', MAX)).value).toBe(MAX);
    });
  });

  describe('errors write nothing', () => {
    /** Store `value` expiring at t = 100, run `attempt` at t = 50, and check the key is as it was. */
    async function expectUntouched(
      value: string,
      attempt: (kv: MemoryBackend) => Promise<unknown>,
    ): Promise<unknown> {
      let now = 0;
      await using kv = await createMemoryBackend({ clock: () => now });
      await kv.set('k', value, { ttl: 100 });
      now = 50;
      const error = await rejectionOf(attempt(kv));
      expect(await kv.get('k')).toBe(value);
      now = 99;
      expect(await kv.get('k')).toBe(value);
      now = 100;
      expect(await kv.get('k')).toBeNull();
      return error;
    }

    it.each([
      ['empty', ''],
      ['a leading zero', '01'],
      ['negative zero', '-0'],
      ['a plus sign', '+1'],
      ['a leading space', ' 1'],
      ['a trailing newline', '1\n'],
      ['an exponent', '1e3'],
      ['a fraction', '1.0'],
      ['hex', '0x1'],
      ['2^53, canonical but out of range', '9007199254740992'],
      ['-(2^53), canonical but out of range', '-9007199254740992'],
      ['a NUL', '\u0000'],
      ['a digit then a NUL', '1\u0000'],
      ['text', 'some text'],
    ])('a live value with %s is NOT_A_COUNTER, whatever the delta', async (_what, value) => {
      for (const delta of [1, 0, -1]) {
        const error = await expectUntouched(value, (kv) => kv.increment('k', delta, { ttl: 1000 }));
        expect(isKVError(error, 'NOT_A_COUNTER')).toBe(true);
        expect(error).toMatchObject({
          op: 'increment',
          key: 'k',
          unhealthy: false,
          indeterminate: false,
        });
      }
    });

    it('the error does not echo the stored value', async () => {
      const error = await expectUntouched('secret-token', (kv) => kv.increment('k'));
      expect(isKVError(error, 'NOT_A_COUNTER')).toBe(true);
      expect(String((error as Error).message)).not.toContain('secret-token');
    });

    it.each([
      ['past 2^53 - 1', String(MAX), 1],
      ['past -(2^53 - 1)', String(-MAX), -1],
      ['far past the top', '1', MAX],
      ['far past the bottom', '-1', -MAX],
    ])('a result %s is COUNTER_OVERFLOW', async (_what, value, delta) => {
      const error = await expectUntouched(value, (kv) => kv.increment('k', delta));
      expect(isKVError(error, 'COUNTER_OVERFLOW')).toBe(true);
      expect(error).toMatchObject({ op: 'increment', unhealthy: false, indeterminate: false });
    });

    it('a broken clock fails the call as INCREMENT_FAILED, determinate', async () => {
      let now = 0;
      await using kv = await createMemoryBackend({ clock: () => now });
      await kv.increment('k', 1, { ttl: 100 });
      now = Number.NaN;
      const error = await rejectionOf(kv.increment('k'));
      expect(isKVError(error, 'INCREMENT_FAILED')).toBe(true);
      expect(error).toMatchObject({ unhealthy: false, indeterminate: false });
      now = 0;
      expect(await kv.get('k')).toBe('1');
    });

    it('an invalid delta is INVALID_VALUE and writes nothing', async () => {
      await using kv = await createMemoryBackend();
      for (const delta of [1.5, Number.NaN, MAX + 1, '1' as unknown as number]) {
        const error = await rejectionOf(kv.increment('k', delta));
        expect(isKVError(error, 'INVALID_VALUE')).toBe(true);
      }
      expect(await kv.get('k')).toBeNull();
    });
  });

  describe('combining', () => {
    it.each([true, false])(
      'with combine: %s, concurrent increments of one key hand out each value once',
      async (combine) => {
        await using kv = await createMemoryBackend({ combine });
        const calls = 500;
        const counters = await Promise.all(
          Array.from({ length: calls }, (_, i) => kv.increment('hot', i % 3 === 0 ? 2 : 1)),
        );
        const total = counters.reduce((sum, _c, i) => sum + (i % 3 === 0 ? 2 : 1), 0);
        expect(await kv.get('hot')).toBe(String(total));
        // Each call's value is its prefix sum in call order: distinct, and in call order.
        let expected = 0;
        for (const [i, counter] of counters.entries()) {
          expected += i % 3 === 0 ? 2 : 1;
          expect(counter.value).toBe(expected);
        }
      },
    );

    it('combines concurrent calls by default, and combine: false sends each alone', async () => {
      const requestsFor = async (options: MemoryBackendOptions) => {
        await using kv = new CountingMemoryBackend(options);
        await Promise.all(Array.from({ length: 10 }, () => kv.increment('hot')));
        expect(await kv.get('hot')).toBe('10');
        return kv.requests;
      };
      // The first call goes out alone; the nine made while it was in flight go out together.
      expect(await requestsFor({})).toBe(2);
      expect(await requestsFor({ combine: true })).toBe(2);
      expect(await requestsFor({ combine: false })).toBe(10);
    });

    it.each([['yes'], [1], [null]])('rejects combine: %j with INVALID_CONFIG', async (combine) => {
      const error = await rejectionOf(createMemoryBackend({ combine } as never));
      expect(isKVError(error, 'INVALID_CONFIG')).toBe(true);
      expect(error).toMatchObject({ backend: 'memory' });
    });
  });
});
