import assert from 'node:assert/strict';
import { expectKVError } from '../expect-error.js';
import type { ConformanceHarness } from '../harness.js';
import { perform, render } from '../operations.js';
import { callsThatWouldWrite, keyOf } from '../untouched.js';

/** Close: idempotent; afterwards every operation rejects with CLOSED; `await using` closes. */
export function registerCloseTests(suite: ConformanceHarness): void {
  suite.test(
    'close.idempotent',
    'close resolves every time: twice in a row, concurrently, and on an unused backend',
    async ({ backend, createAnother }) => {
      await backend.set('k', 'v');
      assert.equal(await backend.close(), undefined, 'first close');
      assert.equal(await backend.close(), undefined, 'second close');
      const unused = await createAnother();
      const closes = await Promise.allSettled([unused.close(), unused.close(), unused.close()]);
      for (const outcome of closes) {
        assert.equal(
          outcome.status,
          'fulfilled',
          `concurrent close rejected: ${String((outcome as PromiseRejectedResult).reason)}`,
        );
      }
    },
  );

  suite.test(
    'close.after',
    'after close every operation rejects with CLOSED (not unhealthy, not indeterminate)',
    async ({ backend }) => {
      await backend.set('live', 'before');
      await backend.close();
      for (const call of callsThatWouldWrite(undefined)) {
        await expectKVError(backend, `${render(call)} after close`, () => perform(backend, call), {
          code: 'CLOSED',
          op: call.op,
          key: keyOf(call),
        });
      }
    },
  );

  suite.test(
    'close.dispose',
    'Symbol.asyncDispose closes the backend, so `await using` releases it',
    async ({ backend }) => {
      assert.equal(
        typeof backend[Symbol.asyncDispose],
        'function',
        'Symbol.asyncDispose is missing',
      );
      {
        await using scoped = backend;
        await scoped.set('k', 'v');
      }
      await expectKVError(
        backend,
        'get after leaving the `await using` block',
        () => backend.get('k'),
        {
          code: 'CLOSED',
          op: 'get',
          key: 'k',
        },
      );
    },
  );
}
