import type { KVBackend } from '../../backend.js';
import type { KVErrorCode } from '../../error-codes.js';
import { expectKVError } from '../expect-error.js';
import type { ConformanceHarness } from '../harness.js';
import { type Call, perform, render } from '../operations.js';
import { expectUntouched, keyOf, LIVE_KEY, seedLiveKey } from '../untouched.js';

type Expectation = [Call, KVErrorCode];

/** Assert that each call rejects with its code. */
async function expectCodes(backend: KVBackend, expectations: Expectation[]): Promise<void> {
  for (const [call, code] of expectations) {
    await expectKVError(backend, render(call), () => perform(backend, call), {
      code,
      op: call.op,
      key: keyOf(call),
    });
  }
}

const k = LIVE_KEY;

/** Several problems at once: CLOSED, then INVALID_* in argument order, then ABORTED. */
export function registerPrecedenceTests(suite: ConformanceHarness): void {
  suite.test(
    'precedence.closed',
    'on a closed backend every operation rejects with CLOSED, even with invalid arguments and an aborted signal',
    async ({ backend }) => {
      await backend.close();
      const signal = AbortSignal.abort();
      await expectCodes(backend, [
        [{ op: 'get', args: [42, { signal }] }, 'CLOSED'],
        [{ op: 'set', args: [42, 42, { ttl: -1, signal }] }, 'CLOSED'],
        [{ op: 'checkAndSet', args: [42, 42, 42, { ttl: -1, signal }] }, 'CLOSED'],
        [{ op: 'checkAndDelete', args: [42, 42, { signal }] }, 'CLOSED'],
        [{ op: 'delete', args: ['', { signal }] }, 'CLOSED'],
        [{ op: 'increment', args: [42, 1.5, { ttl: -1, signal }] }, 'CLOSED'],
        [{ op: 'ping', args: [{ timeout: 0, signal }] }, 'CLOSED'],
      ]);
    },
  );

  suite.test(
    'precedence.arguments',
    'with several invalid arguments the first one (key, then values, then options) decides the code',
    async ({ backend }) => {
      await seedLiveKey(backend);
      await expectCodes(backend, [
        [{ op: 'get', args: ['', 'not options'] }, 'INVALID_KEY'],
        [{ op: 'set', args: ['', 42, { ttl: -1 }] }, 'INVALID_KEY'],
        [{ op: 'set', args: [k, null, { ttl: -1 }] }, 'INVALID_VALUE'],
        [{ op: 'set', args: [k, null, 'not options'] }, 'INVALID_VALUE'],
        [{ op: 'checkAndSet', args: ['', 42, 42, { ttl: -1 }] }, 'INVALID_KEY'],
        [{ op: 'checkAndSet', args: [k, 42, 'next', { ttl: -1 }] }, 'INVALID_VALUE'],
        [{ op: 'checkAndSet', args: [k, 'before', 42, { ttl: 'soon' }] }, 'INVALID_VALUE'],
        [{ op: 'checkAndSet', args: [k, 'before', 'next', { ttl: 1.5 }] }, 'INVALID_TTL'],
        [{ op: 'checkAndDelete', args: ['\u0000', 42, 'not options'] }, 'INVALID_KEY'],
        [{ op: 'checkAndDelete', args: [k, 42, 'not options'] }, 'INVALID_VALUE'],
        [{ op: 'delete', args: [42, 42] }, 'INVALID_KEY'],
        [{ op: 'increment', args: ['', 1.5, { ttl: -1 }] }, 'INVALID_KEY'],
        [{ op: 'increment', args: [k, 1.5, { ttl: -1 }] }, 'INVALID_VALUE'],
        [{ op: 'increment', args: [k, '1', 'not options'] }, 'INVALID_VALUE'],
        [{ op: 'increment', args: [k, 1, { ttl: -1, timeout: 0 }] }, 'INVALID_TTL'],
        [{ op: 'increment', args: [k, 1, { keepTtl: true, timeout: 0 }] }, 'INVALID_TTL'],
      ]);
      await expectUntouched(backend, 'calls with several invalid arguments');
    },
  );

  suite.test(
    'precedence.aborted-last',
    'invalid arguments win over an already-aborted signal',
    async ({ backend }) => {
      await seedLiveKey(backend);
      const signal = AbortSignal.abort();
      await expectCodes(backend, [
        [{ op: 'get', args: ['', { signal }] }, 'INVALID_KEY'],
        [{ op: 'get', args: [k, { signal, timeout: 0 }] }, 'INVALID_CONFIG'],
        [{ op: 'set', args: [k, null, { signal }] }, 'INVALID_VALUE'],
        [{ op: 'set', args: [k, 'next', { ttl: 1.5, signal }] }, 'INVALID_TTL'],
        [
          { op: 'checkAndSet', args: [k, 'before', 'next', { keepTtl: true, ttl: 5, signal }] },
          'INVALID_TTL',
        ],
        [{ op: 'checkAndDelete', args: [k, 42, { signal }] }, 'INVALID_VALUE'],
        [{ op: 'delete', args: ['', { signal }] }, 'INVALID_KEY'],
        [{ op: 'increment', args: ['', 1, { signal }] }, 'INVALID_KEY'],
        [{ op: 'increment', args: [k, Number.NaN, { signal }] }, 'INVALID_VALUE'],
        [{ op: 'increment', args: [k, 1, { ttl: 0.5, signal }] }, 'INVALID_TTL'],
        [{ op: 'increment', args: [k, 1, { signal, timeout: 0 }] }, 'INVALID_CONFIG'],
        [{ op: 'ping', args: [{ signal, timeout: -1 }] }, 'INVALID_CONFIG'],
      ]);
      await expectUntouched(backend, 'invalid calls with an aborted signal');
    },
  );
}
