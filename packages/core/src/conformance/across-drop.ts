import assert from 'node:assert/strict';
import type { KVBackend } from '../backend.js';
import type { ConformanceFaults } from './options.js';
import { sleep, yieldBy } from './timing.js';

const WORKERS = 8;
/** How long the workers keep running after the connections were cut. */
const AFTER_DROP_MS = 300;

/** Assert a fault hook cut something: a fault test whose cut found no connection proves nothing. */
export function assertSomethingCut(connections: number): void {
  assert.ok(connections > 0, 'dropConnections cut no connection, so the test would prove nothing');
}

/**
 * Run `round(worker)` over and over in concurrent workers while `backend`'s connections are cut
 * (20 ms in; `onCut` runs right after), for {@link AFTER_DROP_MS} more, then stop them. Rethrows
 * the first worker's failure.
 */
export async function workAcrossDrop(
  backend: KVBackend,
  faults: ConformanceFaults,
  round: (worker: number) => Promise<void>,
  onCut?: () => void,
): Promise<void> {
  let running = true;
  const work = async (worker: number) => {
    while (running) {
      await round(worker);
      await yieldBy('macrotask'); // an in-process fake must not starve the timers
    }
  };
  // Settled, never rejected, so a worker that fails early is not an unhandled rejection.
  const workers = Promise.allSettled(Array.from({ length: WORKERS }, (_, w) => work(w)));
  try {
    await sleep(20);
    assertSomethingCut(await faults.dropConnections(backend));
    onCut?.();
    await sleep(AFTER_DROP_MS);
  } finally {
    running = false;
  }
  for (const outcome of await workers) {
    if (outcome.status === 'rejected') throw outcome.reason;
  }
}
