import assert from 'node:assert/strict';
import type { Counter, KVBackend } from '../../backend.js';
import { describeValue } from '../describe-value.js';
import { expectKVError } from '../expect-error.js';
import { expectStored } from '../expect-stored.js';
import {
  certainlyLiveUntil,
  checkExpiryBound,
  probeOf,
  timed,
  untilExpired,
  withGrowingTtl,
} from '../expiry.js';
import type { ConformanceHarness } from '../harness.js';
import { INCREMENT_KEEP_TTLS, INVALID_DELTAS } from '../invalid-inputs.js';
import type { ConformanceOptions } from '../options.js';
import { now, sleep, type Yield, yieldBy } from '../timing.js';
import { ABSENT_KEY } from '../untouched.js';
import { TEST_TTL_MS } from './ttl.js';

const MAX = Number.MAX_SAFE_INTEGER;
/** A ttl no test outlives. */
const HOUR_MS = 3_600_000;
/** Allowance for clock granularity, as in the expiry bound. */
const CLOCK_SLACK_MS = 5;

/**
 * Live values that are not counters: anything but a canonical decimal integer
 * (`/^(0|-?[1-9][0-9]*)$/`) within +-(2^53 - 1).
 */
const NOT_COUNTERS = [
  '',
  ' ',
  'abc',
  '1 ',
  ' 1',
  // Line breaks: a `$` that also matches before one (Java, Python, PCRE) passes "1\n".
  '1\n',
  '\n1',
  '+1',
  '01',
  '00',
  '-0',
  '-01',
  '1.0',
  '1.',
  '.5',
  '1e3',
  '1E3',
  '0x1f',
  '1_000',
  '1,000',
  '\u0661', // ARABIC-INDIC DIGIT ONE
  '\uFF11', // FULLWIDTH DIGIT ONE
  '--1',
  '-',
  'Infinity',
  'NaN',
  '1\u0000',
  '\u00001',
  String(MAX + 1),
  String(-(MAX + 1)),
  '10000000000000000',
  '12345678901234567890',
  '9'.repeat(400),
];

/** Stored value and delta whose sum leaves +-(2^53 - 1). */
const OVERFLOWS: ReadonlyArray<readonly [string, number]> = [
  [String(MAX), 1],
  [String(-MAX), -1],
  [String(MAX - 1), 2],
  ['1', MAX],
  ['-1', -MAX],
  [String(MAX), MAX],
  [String(-MAX), -MAX],
];

/** Stored value (null: absent), delta and result exactly at the edges of the range. */
const EDGES: ReadonlyArray<readonly [string | null, number, number]> = [
  [String(MAX - 1), 1, MAX],
  [String(-MAX + 1), -1, -MAX],
  [String(MAX), 0, MAX],
  [String(MAX), -MAX, 0],
  [String(-MAX), MAX, 0],
  [null, MAX, MAX],
  [null, -MAX, -MAX],
];

const CALLERS = 50;
const INCREMENTS_PER_CALLER = 4;
const YIELDS: readonly Yield[] = ['none', 'microtask', 'macrotask'];

/** The most a counter's reported ttl may be. */
type TtlLimit =
  /** The call created the counter with this ttl (0: none): always reported. */
  | { created: number }
  /** The counter was live: its remaining ms, at most `live` (null: it has no expiry). */
  | { live: number | null };

/** What the reported ttl of a counter must be. */
type TtlExpectation = TtlLimit & {
  /** The fewest ms that can remain, from the client's timings (see {@link leastRemaining}). */
  atLeast?: number;
};

/**
 * The fewest ms a counter can have left when its increment answered at `answeredAt`, if it
 * expires no earlier than `expiresNoEarlierThan` (both on the client's clock): a ttl reported
 * in seconds, or from the wrong moment, falls below it.
 */
function leastRemaining(expiresNoEarlierThan: number, answeredAt: number): number {
  return Math.floor(expiresNoEarlierThan - answeredAt - CLOCK_SLACK_MS);
}

/**
 * Assert `counter` holds `value` and a ttl that fits `expected`. `undefined` (unknown) is
 * accepted only for a counter the call did not create, unless the suite runs with
 * `requireCounterTtl`.
 */
function assertCounter(
  counter: Counter,
  value: number,
  expected: TtlExpectation,
  what: string,
  options: ConformanceOptions,
): void {
  const shown = `${what} resolved ${describeValue(counter)}`;
  assert.equal(typeof counter, 'object', shown);
  assert.equal(counter.value, value, `${shown}: value`);
  const { ttl } = counter;
  const limit = 'created' in expected ? expected.created || null : expected.live;
  if (ttl === undefined && 'live' in expected && options.requireCounterTtl !== true) return;
  if (limit === null) {
    assert.equal(ttl, null, `${shown}: a counter without expiry reports ttl null`);
    return;
  }
  const least = Math.min(limit, Math.max(1, expected.atLeast ?? 1));
  assert.ok(
    typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl >= least && ttl <= limit,
    `${shown}: ttl must be a whole number of ms from ${least} to ${limit}`,
  );
}

/** Seed `key` with `value` (null: leave it absent). */
async function seed(backend: KVBackend, key: string, value: string | null): Promise<void> {
  if (value !== null) await backend.set(key, value);
}

/** `increment`: an atomic counter on the backend's clock, stored as an ordinary string. */
export function registerIncrementTests(
  suite: ConformanceHarness,
  options: ConformanceOptions,
): void {
  suite.test(
    'increment.default-delta',
    'increment(k) adds 1 (an omitted or undefined delta)',
    async ({ backend }) => {
      assertCounter(await backend.increment('k'), 1, { created: 0 }, 'increment(k)', options);
      const second = await backend.increment('k', undefined);
      assertCounter(second, 2, { live: null }, 'increment(k, undefined)', options);
      await expectStored(backend, 'k', '2', 'two increments with the default delta');
    },
  );

  suite.test(
    'increment.absent',
    'an absent key counts as 0: increment creates the counter with value delta, without expiry when no ttl is given',
    async ({ backend }) => {
      assertCounter(await backend.increment('a', 5), 5, { created: 0 }, 'increment(a, 5)', options);
      const zeroTtl = await backend.increment('b', -3, { ttl: 0 });
      assertCounter(zeroTtl, -3, { created: 0 }, 'increment(b, -3, { ttl: 0 })', options);
      const times = await timed(() => backend.increment('c', 1, {}));
      await untilExpired(times, TEST_TTL_MS);
      await expectStored(backend, 'a', '5', 'increment(a, 5) on an absent key');
      await expectStored(backend, 'b', '-3', 'increment(b, -3, { ttl: 0 }) on an absent key');
      await expectStored(backend, 'c', '1', `increment(c, 1) without ttl, ${TEST_TTL_MS} ms later`);
    },
  );

  suite.test(
    'increment.ttl.created',
    'a counter created with ttl T expires like a key set with ttl T (the expiry bound, on the backend’s clock), and reports a ttl from 1 to T, no less than T minus the call’s duration',
    async ({ backend }) => {
      await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
        const key = `k${attempt}`;
        let counter: Counter | undefined;
        const times = await timed(async () => {
          counter = await backend.increment(key, 7, { ttl });
        });
        const atLeast = leastRemaining(times.invokedAt + ttl, times.resolvedAt);
        const expected = { created: ttl, atLeast };
        assertCounter(counter as Counter, 7, expected, 'increment(k, 7, { ttl })', options);
        const probe = probeOf(backend, key, '7', 'a counter created by increment with ttl');
        return checkExpiryBound([probe], times, ttl, 'increment with ttl');
      });
    },
  );

  suite.test(
    'increment.ttl.kept',
    'a live counter keeps its expiry: increment, with or without a ttl, never extends, shortens or removes it, nor gives a counter without expiry one',
    async ({ backend }) => {
      await withGrowingTtl(TEST_TTL_MS, async (ttl, attempt) => {
        const created = `created${attempt}`;
        const set = `set${attempt}`;
        const times = await timed(async () => {
          await backend.increment(created, 1, { ttl });
          await backend.set(set, '10', { ttl });
        });
        await sleep(ttl / 3);
        const longer = await backend.increment(created, 1, { ttl: HOUR_MS });
        await backend.increment(created, 1);
        await backend.increment(set, 1, { ttl: 1 });
        await backend.increment(set, 1, { ttl: HOUR_MS });
        if (now() >= certainlyLiveUntil(times, ttl)) return 0;
        assertCounter(longer, 2, { live: ttl }, 'increment of a live counter', options);
        const probes = [
          probeOf(backend, created, '3', 'a counter created with ttl, incremented twice'),
          probeOf(backend, set, '12', 'a counter set with ttl, incremented twice'),
        ];
        return checkExpiryBound(probes, times, ttl, 'the write that gave the expiry');
      });
      await backend.set('forever', '1');
      const times = await timed(() => backend.increment('forever', 1, { ttl: 20 }));
      await untilExpired(times, 20);
      await expectStored(
        backend,
        'forever',
        '2',
        'increment with ttl 20 on a counter without expiry',
      );
    },
  );

  suite.test(
    'increment.ttl.reported',
    'the reported ttl is the remaining ms (a whole number, at most the ttl it was given and no less than can remain, so never seconds), or null for no expiry',
    async ({ backend }) => {
      const created = await timed(() => backend.increment('timed', 1, { ttl: 60_000 }));
      const longest = await backend.increment('longest', 1, { ttl: MAX });
      assertCounter(longest, 1, { created: MAX }, 'increment with ttl MAX_SAFE_INTEGER', options);
      await backend.set('plain', '1');
      await backend.set('expiring', '1', { ttl: 60_000 });
      await sleep(30);
      const invokedAt = now();
      const live = await backend.increment('timed', 1, { ttl: 60_000 });
      const atLeast = leastRemaining(created.invokedAt + 60_000, now());
      // Remaining, not the original: the expiry lies at most resolved + ttl + slack ahead.
      const remaining = Math.ceil(created.resolvedAt + 60_000 + CLOCK_SLACK_MS - invokedAt);
      const expected = { live: remaining, atLeast };
      assertCounter(live, 2, expected, 'increment of a counter 30 ms old', options);
      const plain = await backend.increment('plain', 1, { ttl: 60_000 });
      assertCounter(plain, 2, { live: null }, 'increment of a value set without ttl', options);
      const expiring = await backend.increment('expiring', 1);
      assertCounter(expiring, 2, { live: 60_000 }, 'increment of a value set with ttl', options);
    },
  );

  suite.test(
    'increment.expired',
    'an expired key counts as 0, whatever it held: the new counter gets the call’s ttl, not the old expiry',
    async ({ backend }) => {
      const shortTtl = 30;
      const expiring = await timed(async () => {
        await backend.set('number', '41', { ttl: shortTtl });
        await backend.set('text', 'not a number', { ttl: shortTtl });
      });
      await untilExpired(expiring, shortTtl);
      const times = await timed(async () => {
        const number = await backend.increment('number', 1);
        assertCounter(number, 1, { created: 0 }, 'increment of an expired counter', options);
        const text = await backend.increment('text', 2, { ttl: 60_000 });
        assertCounter(text, 2, { created: 60_000 }, 'increment of an expired string', options);
      });
      await untilExpired(times, shortTtl);
      await expectStored(
        backend,
        'number',
        '1',
        `increment of an expired counter, ${shortTtl} ms later`,
      );
      await expectStored(
        backend,
        'text',
        '2',
        `increment of an expired string, ${shortTtl} ms later`,
      );
    },
  );

  suite.test(
    'increment.signed',
    'zero and negative deltas: 0 (and -0) reads or creates "0", negatives count down through 0',
    async ({ backend }) => {
      const steps: ReadonlyArray<readonly [number, number]> = [
        [0, 0],
        [-5, -5],
        [0, -5],
        [5, 0],
        [-1, -1],
        [-1_000_000_000_000, -1_000_000_000_001],
        [1_000_000_000_002, 1],
      ];
      for (const [i, [delta, value]] of steps.entries()) {
        const expected = i === 0 ? { created: 0 } : { live: null };
        const counter = await backend.increment('k', delta);
        assertCounter(counter, value, expected, `increment(k, ${delta})`, options);
        await expectStored(backend, 'k', String(value), `increment(k, ${delta})`);
      }
      // -0 is a delta of 0: the counter created reads 0, never -0.
      const negativeZero = await backend.increment('z', -0);
      assertCounter(negativeZero, 0, { created: 0 }, 'increment(z, -0)', options);
      await expectStored(backend, 'z', '0', 'increment(z, -0)');
    },
  );

  suite.test(
    'increment.string',
    'a counter is an ordinary string value: get reads "42"; set, checkAndSet, checkAndDelete and delete work on it; increment works on canonical values they stored',
    async ({ backend }) => {
      await backend.increment('c', 42);
      await expectStored(backend, 'c', '42', 'increment(c, 42)');
      await backend.set('c', '7');
      assert.equal((await backend.increment('c')).value, 8, 'increment after set(c, "7")');
      assert.equal(await backend.checkAndSet('c', '8', '100'), true, 'checkAndSet(c, "8", "100")');
      assert.equal((await backend.increment('c', -1)).value, 99, 'increment after checkAndSet');
      assert.equal(await backend.checkAndDelete('c', '99'), true, 'checkAndDelete(c, "99")');
      assert.equal((await backend.increment('c')).value, 1, 'increment after checkAndDelete');
      assert.equal(await backend.delete('c'), true, 'delete of a counter');
      await expectStored(backend, 'c', null, 'delete of a counter');
      await backend.set('c', String(-MAX));
      assert.equal((await backend.increment('c', 1)).value, -MAX + 1, 'increment of -(2^53 - 1)');
      await expectStored(backend, 'c', String(-MAX + 1), 'increment of -(2^53 - 1)');
    },
  );

  suite.test(
    'increment.not-a-counter',
    'a live value that is not a canonical decimal integer within +-(2^53 - 1) ("01", "-0", "+1", " 1", "1e3", "", 2^53, ...) rejects NOT_A_COUNTER, whatever the delta, and stays as it was',
    async ({ backend }) => {
      for (const [i, value] of NOT_COUNTERS.entries()) {
        const key = `nc${i}`;
        await backend.set(key, value);
        for (const [delta, callOptions] of [
          [1, undefined],
          [0, undefined],
          [-1, { ttl: 100 }],
        ] as const) {
          await expectKVError(
            backend,
            `increment(k, ${delta}) of ${describeValue(value)}`,
            () => backend.increment(key, delta, callOptions),
            { code: 'NOT_A_COUNTER', op: 'increment', key },
          );
        }
        await expectStored(backend, key, value, `increments of ${describeValue(value)}`);
      }
    },
  );

  suite.test(
    'increment.overflow',
    'a result outside +-(2^53 - 1) rejects COUNTER_OVERFLOW and writes nothing; results exactly at the edges are stored',
    async ({ backend }) => {
      for (const [i, [stored, delta]] of OVERFLOWS.entries()) {
        const key = `over${i}`;
        await backend.set(key, stored);
        await expectKVError(
          backend,
          `increment(k, ${delta}) of ${stored}`,
          () => backend.increment(key, delta),
          { code: 'COUNTER_OVERFLOW', op: 'increment', key },
        );
        await expectStored(backend, key, stored, `increment(k, ${delta}) of ${stored}`);
      }
      for (const [i, [stored, delta, value]] of EDGES.entries()) {
        const key = `edge${i}`;
        await seed(backend, key, stored);
        const counter = await backend.increment(key, delta);
        const what = `increment(k, ${delta}) of ${String(stored)}`;
        assertCounter(
          counter,
          value,
          stored === null ? { created: 0 } : { live: null },
          what,
          options,
        );
        await expectStored(backend, key, String(value), what);
      }
    },
  );

  suite.test(
    'increment.overflow.concurrent',
    '20 concurrent increments by 1 of a counter 10 below the maximum: exactly 10 resolve, with the 10 highest values, the rest reject COUNTER_OVERFLOW',
    async ({ backend }) => {
      await backend.set('edge', String(MAX - 10));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => backend.increment('edge', 1)),
      );
      const values: number[] = [];
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') values.push(outcome.value.value);
        else {
          const error = outcome.reason as { code?: unknown; indeterminate?: unknown };
          assert.equal(error.code, 'COUNTER_OVERFLOW', `a rejection: ${String(outcome.reason)}`);
          assert.equal(error.indeterminate, false, 'COUNTER_OVERFLOW is not indeterminate');
        }
      }
      const expected = Array.from({ length: 10 }, (_, i) => MAX - 9 + i);
      assert.deepEqual(
        values.sort((a, b) => a - b),
        expected,
        'the resolved values',
      );
      await expectStored(backend, 'edge', String(MAX), '20 concurrent increments at the edge');
    },
  );

  suite.test(
    'increment.delta',
    'a delta that is not a safe integer (1.5, NaN, Infinity, 2^53, "1", null, 1n, ...) rejects INVALID_VALUE and writes nothing',
    async ({ backend }) => {
      await backend.set('ctr', '5');
      for (const delta of INVALID_DELTAS) {
        for (const [key, callOptions] of [
          [ABSENT_KEY, undefined],
          ['ctr', undefined],
          ['ctr', { ttl: 100 }],
        ] as const) {
          await expectKVError(
            backend,
            `increment(${key}, ${describeValue(delta)})`,
            () => backend.increment(key, delta as number, callOptions),
            { code: 'INVALID_VALUE', op: 'increment', key },
          );
        }
      }
      await expectStored(backend, ABSENT_KEY, null, 'increments with invalid deltas');
      await expectStored(backend, 'ctr', '5', 'increments with invalid deltas');
    },
  );

  suite.test(
    'increment.keep-ttl',
    'increment has no keepTtl (a live counter always keeps its expiry): any keepTtl, even false, rejects INVALID_TTL and writes nothing',
    async ({ backend }) => {
      for (const callOptions of INCREMENT_KEEP_TTLS) {
        await expectKVError(
          backend,
          `increment(k, 1, ${describeValue(callOptions)})`,
          () => backend.increment(ABSENT_KEY, 1, callOptions as object),
          { code: 'INVALID_TTL', op: 'increment', key: ABSENT_KEY },
        );
      }
      await expectStored(backend, ABSENT_KEY, null, 'increments with keepTtl');
    },
  );

  suite.test(
    'increment.concurrent',
    `${CALLERS} concurrent callers adding 1 to one key ${INCREMENTS_PER_CALLER} times each, most with increment and some with get + checkAndSet, lose nothing: the values written are exactly 1..${CALLERS * INCREMENTS_PER_CALLER}, each once`,
    async ({ backend }) => {
      const caller = async (c: number): Promise<number[]> => {
        const written: number[] = [];
        // Some callers give a ttl (calls with different ttls are never combined); some use
        // checkAndSet, whose writes an increment that is not atomic would overwrite.
        const callOptions = c % 3 === 0 ? { ttl: HOUR_MS } : {};
        for (let i = 0; written.length < INCREMENTS_PER_CALLER; i++) {
          if (c % 5 === 4) {
            const current = await backend.get('hits');
            await yieldBy(YIELDS[(c + i) % YIELDS.length] as Yield);
            const next = Number(current ?? 0) + 1;
            if (await backend.checkAndSet('hits', current, String(next))) written.push(next);
          } else {
            written.push((await backend.increment('hits', 1, callOptions)).value);
            await yieldBy(YIELDS[(c + i) % YIELDS.length] as Yield);
          }
        }
        return written;
      };
      const results = await Promise.all(Array.from({ length: CALLERS }, (_, c) => caller(c)));
      for (const [c, written] of results.entries()) {
        for (let i = 1; i < written.length; i++) {
          assert.ok(
            (written[i] as number) > (written[i - 1] as number),
            `caller ${c} saw ${written.join(', ')}: a later call read a lower value`,
          );
        }
      }
      const total = CALLERS * INCREMENTS_PER_CALLER;
      const all = results.flat().sort((a, b) => a - b);
      assert.deepEqual(
        all,
        Array.from({ length: total }, (_, i) => i + 1),
        'the values the callers wrote',
      );
      await expectStored(backend, 'hits', String(total), `${total} concurrent additions`);
    },
  );
}
