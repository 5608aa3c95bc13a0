import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { countIncrementRequests } from '../src/request-counter.js';

/** 50 concurrent increments of one key, counted. */
async function hotKeyIncrements(combine: boolean) {
  await using backend = await createMemoryBackend({ combine });
  const counting = countIncrementRequests();
  // allSettled: the counter stops whatever happened, or it would count the next test's calls.
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, () => backend.increment('hot', 1, { ttl: 1000 })),
  );
  const counted = counting.stop();
  expect(results.map((r) => r.status)).toEqual(Array(50).fill('fulfilled'));
  return counted;
}

describe('countIncrementRequests', () => {
  it('counts one request per call without combining', async () => {
    expect(await hotKeyIncrements(false)).toEqual({ requests: 50, calls: 50 });
  });

  it('counts a combined batch as one request carrying its calls', async () => {
    const counted = await hotKeyIncrements(true);
    expect(counted.calls).toBe(50);
    expect(counted.requests).toBeLessThan(50);
    expect(counted.requests).toBeGreaterThan(0);
  });

  it('counts nothing after stop()', async () => {
    const counting = countIncrementRequests();
    counting.stop();
    await using backend = await createMemoryBackend();
    await backend.increment('k');
    expect(counting.stop()).toEqual({ requests: 0, calls: 0 });
  });
});
