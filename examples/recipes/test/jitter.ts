import { setImmediate as nextTurn } from 'node:timers/promises';
import type { KVBackend } from '@strongbox/core';
import { InterceptedBackend } from './intercepted-backend.js';

/**
 * Wrap `inner` so that every call waits a random number of event-loop turns before it runs and
 * before it answers, as network round trips do: concurrent callers interleave in many orders.
 */
export function withJitter(inner: KVBackend): KVBackend {
  return new InterceptedBackend(inner, async (_op, _key, forward) => {
    await randomTurns();
    const result = await forward();
    await randomTurns();
    return result;
  });
}

async function randomTurns(): Promise<void> {
  for (let turns = Math.floor(Math.random() * 4); turns > 0; turns--) await nextTurn();
}
