import assert from 'node:assert/strict';
import { WRITE_OPS } from '../../error-codes.js';
import { assertRejected, type Outcome, settle } from '../expect-error.js';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';
import { ALL_OPS, type AnyOp, type Call, perform, render } from '../operations.js';
import { keyOf } from '../untouched.js';

/** The tiny deadline of the timeout test: a networked call cannot beat it, an in-process one can. */
const DEADLINE_MS = 1;
/** A call that settles this long after its deadline without rejecting has ignored the deadline. */
const DEADLINE_GRACE_MS = 30;
const CALLS_PER_OP = 20;

/** The `i`-th call of `op` with `options`, on keys seeded with 'v', and its result if it runs. */
function deadlineCall(op: AnyOp, i: number, options: object): { call: Call; result: unknown } {
  switch (op) {
    case 'get':
      return { call: { op, args: [`get${i}`, options] }, result: 'v' };
    case 'set':
      return { call: { op, args: [`set${i}`, 'w', options] }, result: undefined };
    case 'checkAndSet':
      return { call: { op, args: [`cas${i}`, 'v', 'w', options] }, result: true };
    case 'checkAndDelete':
      return { call: { op, args: [`cad${i}`, 'v', options] }, result: true };
    case 'delete':
      return { call: { op, args: [`delete${i}`, options] }, result: true };
    case 'increment':
      // A fresh key per call, so combining never holds one call behind another.
      return { call: { op, args: [`inc${i}`, 1, options] }, result: { value: 1, ttl: null } };
    case 'ping':
      return { call: { op, args: [options] }, result: undefined };
  }
}

const SEEDED_PREFIXES = ['get', 'cas', 'cad', 'delete'];

/** Deadlines: the `timeout` option bounds how long a call may take. */
export function registerDeadlineTests(suite: ConformanceHarness): void {
  suite.test(
    'deadline.timeout',
    'a call whose timeout passes rejects at once with TIMEOUT (unhealthy; indeterminate for writes), never with a late success',
    async ({ backend }) => {
      for (let i = 0; i < CALLS_PER_OP; i++) {
        for (const prefix of SEEDED_PREFIXES) await backend.set(`${prefix}${i}`, 'v');
      }
      const observations: Array<Promise<{ outcome: Outcome; late: boolean }>> = [];
      const calls: Array<{ call: Call; result: unknown }> = [];
      for (let i = 0; i < CALLS_PER_OP; i++) {
        for (const op of ALL_OPS) {
          const planned = deadlineCall(op, i, { timeout: DEADLINE_MS });
          let late = false;
          observations.push(
            settle(() => perform(backend, planned.call)).then((outcome) => ({ outcome, late })),
          );
          // Late: the grace period passed and the event loop then finished a turn, so every
          // timer due by then, the backend's own deadline timer included, has fired.
          setTimeout(() => {
            setImmediate(() => {
              late = true;
            });
          }, DEADLINE_MS + DEADLINE_GRACE_MS);
          calls.push(planned);
        }
      }
      const observed = await Promise.all(observations);
      for (const [i, { outcome, late }] of observed.entries()) {
        const { call, result } = calls[i] as { call: Call; result: unknown };
        const what = `${render(call)}`;
        if (outcome.fulfilled) {
          assert.ok(!late, `${what} resolved after its ${DEADLINE_MS} ms deadline had long passed`);
          assert.deepEqual(outcome.value, result, `${what} resolved with a wrong result`);
        } else {
          assertRejected(backend, what, outcome, {
            code: 'TIMEOUT',
            op: call.op,
            key: keyOf(call),
            unhealthy: true,
            indeterminate: WRITE_OPS.has(call.op),
          });
        }
      }
    },
  );

  suite.test(
    'deadline.generous',
    'calls with a generous timeout (and a live signal) behave exactly like calls without',
    async ({ backend }) => {
      const options = { timeout: 60_000, signal: new AbortController().signal };
      for (const prefix of SEEDED_PREFIXES) await backend.set(`${prefix}0`, 'v');
      await Promise.all(
        ALL_OPS.map(async (op) => {
          const { call, result } = deadlineCall(op, 0, options);
          assert.deepEqual(await perform(backend, call), result, render(call));
        }),
      );
      await expectStored(backend, 'set0', 'w', 'set with a timeout');
      await expectStored(backend, 'cas0', 'w', 'checkAndSet with a timeout');
      await expectStored(backend, 'cad0', null, 'checkAndDelete with a timeout');
      await expectStored(backend, 'delete0', null, 'delete with a timeout');
      await expectStored(backend, 'inc0', '1', 'increment with a timeout');
    },
  );
}
