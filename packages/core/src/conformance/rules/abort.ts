import assert from 'node:assert/strict';
import { WRITE_OPS } from '../../error-codes.js';
import { assertRejected, expectKVError, settle } from '../expect-error.js';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';
import { type Call, perform, render } from '../operations.js';
import { sleep } from '../timing.js';
import {
  ABSENT_KEY,
  BEFORE,
  callsThatWouldWrite,
  expectUntouched,
  keyOf,
  LIVE_KEY,
  seedLiveKey,
} from '../untouched.js';

/** How long an in-flight call may take to reject once its signal aborts; "at once" with room for a loaded machine. */
const ABORT_GRACE_MS = 50;

/** `call` with its options' signal replaced by `signal`. */
function withSignal(call: Call, signal: AbortSignal): Call {
  const args = [...call.args];
  args[args.length - 1] = { signal };
  return { op: call.op, args };
}

/** Abort: an already-aborted signal does nothing; an abort in flight rejects at once. */
export function registerAbortTests(suite: ConformanceHarness): void {
  suite.test(
    'abort.before',
    'every operation with an already-aborted signal rejects with ABORTED (not unhealthy, not indeterminate) and writes nothing',
    async ({ backend }) => {
      await seedLiveKey(backend);
      const signals = [AbortSignal.abort(), AbortSignal.abort(new Error('a reason of my own'))];
      for (const signal of signals) {
        for (const call of callsThatWouldWrite({ signal })) {
          await expectKVError(backend, render(call), () => perform(backend, call), {
            code: 'ABORTED',
            op: call.op,
            key: keyOf(call),
          });
        }
      }
      await expectUntouched(backend, 'calls with an already-aborted signal');
    },
  );

  suite.test(
    'abort.during',
    'an abort while a call is in flight rejects it at once with ABORTED, indeterminate for writes',
    async ({ backend }) => {
      await seedLiveKey(backend);
      for (const template of callsThatWouldWrite({})) {
        const controller = new AbortController();
        const call = withSignal(template, controller.signal);
        const outcome = settle(() => perform(backend, call));
        controller.abort();
        const settled = await Promise.race([outcome, sleep(ABORT_GRACE_MS).then(() => undefined)]);
        assert.ok(
          settled,
          `${render(call)} had not settled ${ABORT_GRACE_MS} ms after its signal aborted`,
        );
        assertRejected(backend, `${render(call)} aborted in flight`, settled, {
          code: 'ABORTED',
          op: call.op,
          key: keyOf(call),
          indeterminate: WRITE_OPS.has(call.op),
        });
      }
      // An interrupted write may or may not have been applied, but nothing else happened.
      const live = await backend.get(LIVE_KEY);
      assert.ok([BEFORE, 'next', null].includes(live), `live key read ${String(live)}`);
      // increment creates '1' there, unless a set or checkAndSet made it 'next' first.
      const absent = await backend.get(ABSENT_KEY);
      assert.ok([null, 'next', '1'].includes(absent), `absent key read ${String(absent)}`);
      await backend.set('after', 'works');
      await expectStored(backend, 'after', 'works', 'aborted calls');
    },
  );
}
