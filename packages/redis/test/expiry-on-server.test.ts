import { describe, expect, it } from 'vitest';
import type { RedisBackend } from '../src/index.js';
import { TOPOLOGIES, testBackend } from './helpers/backends.js';

/** The server's remaining TTL of `key` in ms (-1: no expiry, -2: absent). */
function pttl(backend: RedisBackend, key: string): Promise<number> {
  return backend.client.pttl(backend.keyPrefix + key);
}

// The conformance suite checks expiry by behaviour; these check what the server stores.
describe.each(TOPOLOGIES)('expiry on a %s Redis', (topology) => {
  it('writes ttl with PX, keepTtl with KEEPTTL, and no expiry for ttl 0 or an absent key', async () => {
    const kv = await testBackend(topology);
    await kv.set('ttl', 'v', { ttl: 60_000 });
    const first = await pttl(kv, 'ttl');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(60_000);

    await kv.set('ttl', 'w', { keepTtl: true });
    expect(await kv.checkAndSet('ttl', 'w', 'x', { keepTtl: true })).toBe(true);
    const kept = await pttl(kv, 'ttl');
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(first);

    expect(await kv.checkAndSet('ttl', 'x', 'y', { ttl: 0 })).toBe(true);
    expect(await pttl(kv, 'ttl')).toBe(-1);
    await kv.set('ttl', 'z', { ttl: 60_000 });
    await kv.set('ttl', 'z');
    expect(await pttl(kv, 'ttl')).toBe(-1);

    await kv.set('absent-set', 'v', { keepTtl: true });
    expect(await kv.checkAndSet('absent-cas', null, 'v', { keepTtl: true })).toBe(true);
    expect(await pttl(kv, 'absent-set')).toBe(-1);
    expect(await pttl(kv, 'absent-cas')).toBe(-1);
  });
});
