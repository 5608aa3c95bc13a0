import { isKVError, type KVError } from '@strongbox/core';
import { describe, expect, it } from 'vitest';
import { createTestBackend, TOPOLOGIES } from './helpers/backends.js';
import { serversOf, withAdmin } from './helpers/connections.js';

const ROUNDS = 10;
const CALLS = 200;

/** How a call issued before close() settled, or the code it was rejected with. */
function outcomeOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    (result) => `resolved ${String(result)}`,
    (error: unknown) => (isKVError(error) ? (error as KVError).code : String(error)),
  );
}

describe.each(TOPOLOGIES)('close() with calls in flight (%s)', (topology) => {
  it('every call issued before close() is served, also when the script cache is cold', async () => {
    const wrong: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const kv = await createTestBackend(topology);
      // A cold script cache: every script call first gets NOSCRIPT, then sends EVAL.
      for (const server of serversOf(kv)) await withAdmin(server, (admin) => admin.script('FLUSH'));
      const calls: Array<[string, Promise<string>, string]> = [];
      for (let i = 0; i < CALLS; i++) {
        calls.push([`get g${i}`, outcomeOf(kv.get(`g${i}`)), 'resolved null']);
        calls.push([`set s${i}`, outcomeOf(kv.set(`s${i}`, 'v')), 'resolved undefined']);
        calls.push([`cas c${i}`, outcomeOf(kv.checkAndSet(`c${i}`, null, 'v')), 'resolved true']);
      }
      await kv.close();
      for (const [call, outcome, expected] of calls) {
        const got = await outcome;
        if (got !== expected) wrong.push(`round ${round}: ${call}: ${got}`);
      }
      // What the callers were told is what is stored.
      const reader = await createTestBackend(topology, { keyPrefix: kv.keyPrefix });
      try {
        for (let i = 0; i < CALLS; i++) {
          for (const key of [`s${i}`, `c${i}`]) {
            if ((await reader.get(key)) !== 'v') wrong.push(`round ${round}: ${key} not stored`);
          }
        }
      } finally {
        await reader.close();
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
