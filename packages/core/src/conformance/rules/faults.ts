import assert from 'node:assert/strict';
import type { KVBackend } from '../../backend.js';
import { FAILURE_CODE_BY_OP } from '../../error-codes.js';
import { isKVError } from '../../errors.js';
import { assertSomethingCut, workAcrossDrop } from '../across-drop.js';
import { assertShape } from '../expect-error.js';
import type { ConformanceHarness } from '../harness.js';
import { type Call, perform, render } from '../operations.js';
import { type ConformanceFaults, FAULT_RECOVERY_WINDOW_MS } from '../options.js';
import { now, sleep } from '../timing.js';
import { keyOf } from '../untouched.js';

/** Deadline of each call in the fault tests, so a hung backend fails the test instead of stalling it. */
const CALL_TIMEOUT_MS = 5_000;

/** A mixed workload for worker `w`. */
function workload(w: number): Call[] {
  const options = { timeout: CALL_TIMEOUT_MS };
  return [
    { op: 'get', args: ['shared', options] },
    { op: 'set', args: [`w${w}`, 'v', options] },
    { op: 'checkAndSet', args: [`w${w}`, 'v', 'v', options] },
    { op: 'checkAndDelete', args: [`none${w}`, 'v', options] },
    { op: 'delete', args: [`none${w}`, options] },
    { op: 'increment', args: [`n${w}`, 1, options] },
    { op: 'ping', args: [options] },
  ];
}

/** Assert `error`, thrown by `call`, is an unhealthy KVError naming the call's operation. */
function assertUnhealthy(backend: KVBackend, call: Call, error: unknown): void {
  const what = `${render(call)} after the connections were cut`;
  assert.ok(isKVError(error), `${what} rejected with a non-KVError: ${String(error)}`);
  if (error.code !== 'TIMEOUT') {
    assert.equal(error.code, FAILURE_CODE_BY_OP[call.op], `${what}: code`);
  }
  assertShape(backend, what, error, {
    code: error.code,
    op: call.op,
    key: keyOf(call),
    unhealthy: true,
    indeterminate: error.indeterminate,
  });
}

/** A call's result after retries; `uncertain` when an earlier attempt may have been applied. */
interface Eventual {
  value: unknown;
  uncertain: boolean;
}

/** Run `call` until it succeeds, accepting only unhealthy failures, within the recovery window. */
async function eventually(backend: KVBackend, call: Call, deadline: number): Promise<Eventual> {
  let uncertain = false;
  for (;;) {
    try {
      return { value: await perform(backend, call), uncertain };
    } catch (error) {
      assertUnhealthy(backend, call, error);
      uncertain ||= isKVError(error) && error.indeterminate;
      if (now() > deadline) {
        assert.fail(
          `${render(call)} still failed ${FAULT_RECOVERY_WINDOW_MS} ms after the connections were cut`,
        );
      }
      await sleep(50);
    }
  }
}

/** Assert a conditional write that may have been retried resolved true, or was retried after an indeterminate failure. */
function assertApplied(outcome: Eventual, what: string): void {
  assert.ok(
    outcome.value === true || outcome.uncertain,
    `${what} resolved ${String(outcome.value)}`,
  );
}

/** Networked backends: cut connections yield unhealthy errors, and the same backend recovers. */
export function registerFaultTests(suite: ConformanceHarness, faults: ConformanceFaults): void {
  suite.test(
    'faults.unhealthy',
    'calls running while the connections are cut succeed or reject with an unhealthy KVError naming their operation',
    async ({ backend }) => {
      await backend.set('shared', 'v');
      let dropped = false;
      let settledAfterDrop = 0;
      const round = async (w: number) => {
        for (const call of workload(w)) {
          await perform(backend, call).catch((error: unknown) =>
            assertUnhealthy(backend, call, error),
          );
          if (dropped) settledAfterDrop++;
        }
      };
      await workAcrossDrop(backend, faults, round, () => {
        dropped = true;
      });
      assert.ok(settledAfterDrop > 0, 'no call settled after the connections were cut');
    },
  );

  suite.test(
    'faults.recovers',
    `after its connections are cut the same backend serves every operation again within ${FAULT_RECOVERY_WINDOW_MS} ms, data intact`,
    async ({ backend }) => {
      await backend.set('k', 'before');
      assertSomethingCut(await faults.dropConnections(backend));
      const deadline = now() + FAULT_RECOVERY_WINDOW_MS;
      const options = { timeout: CALL_TIMEOUT_MS };
      const read = await eventually(backend, { op: 'get', args: ['k', options] }, deadline);
      assert.equal(read.value, 'before', 'the value written before the connections were cut');
      await eventually(backend, { op: 'ping', args: [options] }, deadline);
      await eventually(backend, { op: 'set', args: ['k', 'after', options] }, deadline);
      const cas = { op: 'checkAndSet', args: ['k', 'after', 'again', options] } as const;
      assertApplied(await eventually(backend, cas, deadline), render(cas));
      const afterCas = await eventually(backend, { op: 'get', args: ['k', options] }, deadline);
      assert.equal(afterCas.value, 'again', render(cas));
      const cad = { op: 'checkAndDelete', args: ['k', 'again', options] } as const;
      assertApplied(await eventually(backend, cad, deadline), render(cad));
      const deleted = await eventually(backend, { op: 'delete', args: ['k', options] }, deadline);
      assert.equal(deleted.value, false, 'delete after checkAndDelete removed the key');
      const increment = { op: 'increment', args: ['k', 1, options] } as const;
      const counted = await eventually(backend, increment, deadline);
      const value = (counted.value as { value: number }).value;
      assert.ok(
        value === 1 || (counted.uncertain && value === 2),
        `${render(increment)}: ${value}`,
      );
    },
  );

  suite.test(
    'faults.increment',
    'increments in flight when the connections are cut are lost or doubled only as their errors say: the counter ends between the resolved calls and those plus the indeterminate ones',
    async ({ backend }) => {
      const options = { timeout: CALL_TIMEOUT_MS };
      const call: Call = { op: 'increment', args: ['hits', 1, options] };
      const resolved: number[] = [];
      let indeterminate = 0;
      const round = async () => {
        try {
          resolved.push((await backend.increment('hits', 1, options)).value);
        } catch (error) {
          assertUnhealthy(backend, call, error);
          if (isKVError(error) && error.indeterminate) indeterminate++;
        }
      };
      await workAcrossDrop(backend, faults, round);
      const deadline = now() + FAULT_RECOVERY_WINDOW_MS;
      const read = await eventually(backend, { op: 'get', args: ['hits', options] }, deadline);
      const final = Number(read.value ?? 0);
      const what = `after ${resolved.length} resolved and ${indeterminate} indeterminate increments the counter read ${String(read.value)}`;
      assert.ok(resolved.length <= final && final <= resolved.length + indeterminate, what);
      // Each resolved call saw its own increment: distinct values, none above the final count.
      assert.equal(new Set(resolved).size, resolved.length, `${what}; duplicate results`);
      assert.ok(
        resolved.every((value) => value >= 1 && value <= final),
        `${what}; a result out of range`,
      );
    },
  );
}
