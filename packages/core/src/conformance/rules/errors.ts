import assert from 'node:assert/strict';
import { isHealthError, isIndeterminate, isKVError } from '../../errors.js';
import { workAcrossDrop } from '../across-drop.js';
import { expectKVError, settle } from '../expect-error.js';
import type { ConformanceHarness } from '../harness.js';
import { assertValuesHidden } from '../hidden-values.js';
import { type Call, perform, render } from '../operations.js';
import type { ConformanceFaults } from '../options.js';

/** Part of every value the tests below store or pass: it must never appear in an error. */
const SECRET_VALUE = 'secret-value-7f3a9c';
const STORED = `${SECRET_VALUE}-stored`;
const NEXT = `${SECRET_VALUE}-next`;
/** A counter near the top of the safe range, and a delta that would take it out. */
const HIGH_COUNTER = String(Number.MAX_SAFE_INTEGER - 12_345);
const OVERFLOWING_DELTA = 20_000;

/** The deadline that interrupts writes in `errors.no-values`: a networked call cannot beat it. */
const TINY_TIMEOUT_MS = 1;
/** Deadline of each call in the fault test, so a hung backend fails the test instead of stalling it. */
const CALL_TIMEOUT_MS = 5_000;

/** Writes that carry marked values: `STORED` (what `k` holds at first) and `NEXT`. */
function writesWithValues(options: object): Call[] {
  return [
    { op: 'set', args: ['k', NEXT, options] },
    { op: 'checkAndSet', args: ['k', STORED, NEXT, options] },
    { op: 'checkAndSet', args: ['k', null, NEXT, options] },
    { op: 'checkAndDelete', args: ['k', STORED, options] },
  ];
}

/** Every call of the fault test: reads of marked values, writes carrying them, increment of one. */
const CALLS_UNDER_FAULTS: readonly Call[] = [
  { op: 'get', args: ['k', { timeout: CALL_TIMEOUT_MS }] },
  ...writesWithValues({ timeout: CALL_TIMEOUT_MS }),
  { op: 'set', args: ['k', STORED, { timeout: CALL_TIMEOUT_MS }] },
  { op: 'increment', args: ['text', 1, { timeout: CALL_TIMEOUT_MS }] },
];

/** Error shape: every rejection is a KVError with code, backend, op, key and flags. */
export function registerErrorTests(suite: ConformanceHarness, faults?: ConformanceFaults): void {
  suite.test(
    'errors.shape',
    'a rejection is a KVError: instanceof Error, name, code, backend, op, key, flags, recognized by the helpers',
    async ({ backend }) => {
      const error = await expectKVError(
        backend,
        'set(k, 42)',
        () => backend.set('k', 42 as never),
        {
          code: 'INVALID_VALUE',
          op: 'set',
          key: 'k',
        },
      );
      assert.ok(error instanceof Error, 'instanceof Error');
      assert.equal(error.name, 'KVError');
      assert.equal(typeof error.message, 'string');
      assert.ok(error.message.length > 0, 'message is empty');
      assert.equal(typeof error.stack, 'string', 'stack');
      assert.ok(isKVError(error), 'isKVError');
      assert.ok(isKVError(error, 'INVALID_VALUE'), "isKVError(error, 'INVALID_VALUE')");
      assert.ok(!isKVError(error, 'INVALID_KEY'), "isKVError(error, 'INVALID_KEY')");
      assert.ok(!isHealthError(error), 'isHealthError');
      assert.ok(!isIndeterminate(error), 'isIndeterminate');
    },
  );

  suite.test(
    'errors.no-values',
    "errors never echo the call's values or stored ones: invalid options, increment's refusals of a non-counter and of an overflow, writes interrupted by an abort or a deadline",
    async ({ backend }) => {
      const calls = [
        () => backend.set('k', SECRET_VALUE, { ttl: 'soon' as never }),
        () =>
          backend.checkAndSet('k', SECRET_VALUE, `${SECRET_VALUE}-next`, { ttl: 'soon' as never }),
        () => backend.checkAndDelete('k', SECRET_VALUE, { timeout: -1 }),
      ];
      const ops = ['set', 'checkAndSet', 'checkAndDelete'] as const;
      for (const [i, call] of calls.entries()) {
        const op = ops[i] as (typeof ops)[number];
        const error = await expectKVError(backend, `${op} with a bad option`, call, {
          code: op === 'checkAndDelete' ? 'INVALID_CONFIG' : 'INVALID_TTL',
          op,
          key: 'k',
        });
        assertValuesHidden(error, op, [SECRET_VALUE]);
      }

      await backend.set('k', STORED);
      const notACounter = await expectKVError(
        backend,
        'increment of a string',
        () => backend.increment('k'),
        { code: 'NOT_A_COUNTER', op: 'increment', key: 'k' },
      );
      assertValuesHidden(notACounter, 'increment of a string', [SECRET_VALUE]);
      await backend.set('high', HIGH_COUNTER);
      const overflow = await expectKVError(
        backend,
        `increment(high, ${OVERFLOWING_DELTA}) of ${HIGH_COUNTER}`,
        () => backend.increment('high', OVERFLOWING_DELTA),
        { code: 'COUNTER_OVERFLOW', op: 'increment', key: 'high' },
      );
      const sum = String(BigInt(HIGH_COUNTER) + BigInt(OVERFLOWING_DELTA));
      assertValuesHidden(overflow, 'an overflowing increment', [HIGH_COUNTER, sum]);

      // Whether each interrupted call rejects, and how, is for abort.during and
      // deadline.timeout to check; here every rejection must keep the values to itself.
      for (const template of writesWithValues({})) {
        const controller = new AbortController();
        const options = { signal: controller.signal };
        const aborted = { op: template.op, args: [...template.args.slice(0, -1), options] };
        const outcome = settle(() => perform(backend, aborted));
        controller.abort();
        const settled = await outcome;
        if (!settled.fulfilled) {
          assertValuesHidden(settled.error, `${render(aborted)} aborted in flight`, [SECRET_VALUE]);
        }
      }
      for (const call of writesWithValues({ timeout: TINY_TIMEOUT_MS })) {
        const settled = await settle(() => perform(backend, call));
        if (!settled.fulfilled) assertValuesHidden(settled.error, render(call), [SECRET_VALUE]);
      }
    },
  );

  if (faults === undefined) return;
  suite.test(
    'errors.no-values.faults',
    'errors of calls that fail at the driver while the connections are cut never show the stored, expected or new values',
    async ({ backend }) => {
      await backend.set('k', STORED);
      await backend.set('text', STORED);
      let failedAtDriver = 0;
      const round = async () => {
        for (const call of CALLS_UNDER_FAULTS) {
          const settled = await settle(() => perform(backend, call));
          if (settled.fulfilled) continue;
          const what = `${render(call)} after the connections were cut`;
          assertValuesHidden(settled.error, what, [SECRET_VALUE]);
          if (!isKVError(settled.error, 'NOT_A_COUNTER')) failedAtDriver++;
        }
      };
      await workAcrossDrop(backend, faults, round);
      assert.ok(failedAtDriver > 0, 'no call failed after the connections were cut');
    },
  );
}
