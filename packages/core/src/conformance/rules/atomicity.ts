import assert from 'node:assert/strict';
import type { KVBackend } from '../../backend.js';
import { expectStored } from '../expect-stored.js';
import type { ConformanceHarness } from '../harness.js';
import { type Yield, yieldBy } from '../timing.js';

const CALLERS = 50;
const INCREMENTS_PER_CALLER = 2;
/** Callers yield in different ways between their read and their CAS, so any interleaving a non-atomic CAS allows happens. */
const YIELDS: readonly Yield[] = ['none', 'microtask', 'macrotask'];

/** One caller's share: read, yield, checkAndSet(read, read + 1); retry on false. */
async function increment(backend: KVBackend, key: string, caller: number): Promise<number> {
  let attempts = 0;
  for (let done = 0; done < INCREMENTS_PER_CALLER; attempts++) {
    const current = await backend.get(key);
    await yieldBy(YIELDS[(caller + attempts) % YIELDS.length] as Yield);
    if (await backend.checkAndSet(key, current, String(Number(current) + 1))) done++;
  }
  return attempts;
}

/** Concurrent callers on one hot key never lose an update. */
export function registerAtomicityTests(suite: ConformanceHarness): void {
  suite.test(
    'atomic.cas-increments',
    `${CALLERS} concurrent callers incrementing one key with get + checkAndSet retry loops lose no update`,
    async ({ backend }) => {
      await backend.set('counter', '0');
      const callers = Array.from({ length: CALLERS }, (_, caller) =>
        increment(backend, 'counter', caller),
      );
      const attempts = (await Promise.all(callers)).reduce((sum, n) => sum + n, 0);
      const total = CALLERS * INCREMENTS_PER_CALLER;
      await expectStored(
        backend,
        'counter',
        String(total),
        `${total} successful increments (${attempts} attempts)`,
      );
    },
  );

  suite.test(
    'atomic.cas-single-winner',
    `of ${CALLERS} concurrent checkAndSet(k, null, mine) on an absent key exactly one wins, and its value stays`,
    async ({ backend }) => {
      const results = await Promise.all(
        Array.from({ length: CALLERS }, (_, caller) =>
          backend.checkAndSet('lease', null, `caller-${caller}`),
        ),
      );
      const winners = results.flatMap((won, caller) => (won ? [caller] : []));
      assert.equal(winners.length, 1, `winners: ${winners.join(', ')}`);
      await expectStored(backend, 'lease', `caller-${winners[0]}`, 'the race');
    },
  );

  suite.test(
    'atomic.cad-single-winner',
    `of ${CALLERS} concurrent checkAndDelete(k, current) exactly one removes the key`,
    async ({ backend }) => {
      await backend.set('lease', 'holder');
      const results = await Promise.all(
        Array.from({ length: CALLERS }, () => backend.checkAndDelete('lease', 'holder')),
      );
      assert.equal(
        results.filter(Boolean).length,
        1,
        'number of checkAndDelete calls that resolved true',
      );
      await expectStored(backend, 'lease', null, 'the race');
    },
  );
}
