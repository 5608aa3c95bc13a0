import type { KVBackend } from '../../backend.js';
import type { KVErrorCode } from '../../error-codes.js';
import { expectKVError } from '../expect-error.js';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';
import {
  INVALID_KEEP_TTLS,
  INVALID_KEYS,
  INVALID_OPTIONS,
  INVALID_TTLS,
  KEEP_TTL_CONFLICTS,
  LONE_SURROGATE_VALUES,
  NON_STRING_VALUES,
} from '../invalid-inputs.js';
import { type Call, callOn, KEYED_OPS, perform, render } from '../operations.js';
import {
  ABSENT_KEY,
  BEFORE,
  callsThatWouldWrite,
  expectUntouched,
  keyOf,
  LIVE_KEY,
  seedLiveKey,
} from '../untouched.js';

/**
 * Seed the live key, assert every call rejects with `code` (naming its key unless the key is
 * what is wrong), then assert nothing was written.
 */
async function expectAllRejected(
  backend: KVBackend,
  calls: Call[],
  code: KVErrorCode,
): Promise<void> {
  await seedLiveKey(backend);
  for (const call of calls) {
    await expectKVError(backend, render(call), () => perform(backend, call), {
      code,
      op: call.op,
      key: keyOf(call),
    });
  }
  await expectUntouched(backend, `${calls.length} rejected calls`);
}

/** Calls passing each of `values` where set, checkAndSet and checkAndDelete take a string. */
function callsWithValues(values: readonly unknown[]): Call[] {
  return values.flatMap((value): Call[] => [
    { op: 'set', args: [LIVE_KEY, value] },
    { op: 'set', args: [ABSENT_KEY, value] },
    { op: 'checkAndSet', args: [LIVE_KEY, BEFORE, value] },
    { op: 'checkAndSet', args: [ABSENT_KEY, null, value] },
    { op: 'checkAndSet', args: [LIVE_KEY, value, 'next'] },
    { op: 'checkAndDelete', args: [LIVE_KEY, value] },
  ]);
}

/** Calls of set, checkAndSet and increment that would write, with each of `writeOptions`. */
function writesWithOptions(writeOptions: readonly unknown[]): Call[] {
  return writeOptions.flatMap((options) =>
    callsThatWouldWrite(options, ['set', 'checkAndSet', 'increment']),
  );
}

/** Keys a backend that truncates or repairs invalid keys would write instead. */
const REPAIRED_KEYS = ['k'.repeat(1024), '€'.repeat(341), 'a', 'k', '\uFFFD', 'a\uFFFD', '\uFFFDk'];

/** Validation: every invalid argument of every operation rejects with its code and writes nothing. */
export function registerValidationTests(suite: ConformanceHarness): void {
  const keyRules: Array<[keyof typeof INVALID_KEYS, string]> = [
    ['type', 'a key that is not a string'],
    ['empty', 'an empty key'],
    ['length', 'a key longer than 1024 UTF-8 bytes (ASCII and multibyte)'],
    ['surrogate', 'a key with a lone surrogate'],
    ['nul', 'a key containing U+0000'],
  ];
  for (const [kind, description] of keyRules) {
    suite.test(
      `validate.key.${kind}`,
      `every keyed operation rejects ${description} with INVALID_KEY and writes nothing`,
      async ({ backend }) => {
        const calls = INVALID_KEYS[kind].flatMap((key) => KEYED_OPS.map((op) => callOn(op, key)));
        await expectAllRejected(backend, calls, 'INVALID_KEY');
        for (const key of REPAIRED_KEYS) await expectStored(backend, key, null, 'rejected keys');
      },
    );
  }

  suite.test(
    'validate.value.type',
    'set, checkAndSet and checkAndDelete reject non-string values with INVALID_VALUE and write nothing',
    async ({ backend }) => {
      const calls = callsWithValues(NON_STRING_VALUES);
      calls.push({ op: 'checkAndDelete', args: [LIVE_KEY, null] }); // null means absent only in checkAndSet
      await expectAllRejected(backend, calls, 'INVALID_VALUE');
    },
  );

  suite.test(
    'validate.value.surrogate',
    'set, checkAndSet and checkAndDelete reject values with lone surrogates with INVALID_VALUE',
    async ({ backend }) => {
      await expectAllRejected(backend, callsWithValues(LONE_SURROGATE_VALUES), 'INVALID_VALUE');
    },
  );

  const ttlRules: Array<[keyof typeof INVALID_TTLS, string]> = [
    ['negative', 'a negative ttl'],
    ['fractional', 'a fractional ttl'],
    ['non-finite', 'a NaN or infinite ttl'],
    ['unsafe', 'a ttl above Number.MAX_SAFE_INTEGER'],
    ['type', 'a ttl that is not a number'],
  ];
  for (const [kind, description] of ttlRules) {
    suite.test(
      `validate.ttl.${kind}`,
      `set, checkAndSet and increment reject ${description} with INVALID_TTL and write nothing`,
      async ({ backend }) => {
        const options = INVALID_TTLS[kind].map((ttl) => ({ ttl }));
        await expectAllRejected(backend, writesWithOptions(options), 'INVALID_TTL');
      },
    );
  }

  suite.test(
    'validate.ttl.keep-conflict',
    'set, checkAndSet and increment reject keepTtl together with a ttl (even 0) with INVALID_TTL',
    async ({ backend }) => {
      await expectAllRejected(backend, writesWithOptions(KEEP_TTL_CONFLICTS), 'INVALID_TTL');
    },
  );

  suite.test(
    'validate.keep-ttl.type',
    'set, checkAndSet and increment reject a keepTtl that is not a boolean with INVALID_TTL',
    async ({ backend }) => {
      const options = INVALID_KEEP_TTLS.map((keepTtl) => ({ keepTtl }));
      await expectAllRejected(backend, writesWithOptions(options), 'INVALID_TTL');
    },
  );

  suite.test(
    'validate.options',
    'every operation rejects malformed options (not an object, a bad signal, a timeout not in (0, 2^31 - 1] ms) with INVALID_CONFIG',
    async ({ backend }) => {
      const calls = INVALID_OPTIONS.flatMap((options) => callsThatWouldWrite(options));
      await expectAllRejected(backend, calls, 'INVALID_CONFIG');
    },
  );
}
