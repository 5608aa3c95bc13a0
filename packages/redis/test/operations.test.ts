import { describe, expect, it } from 'vitest';
import type { RedisBackend } from '../src/index.js';
import { TOPOLOGIES, testBackend } from './helpers/backends.js';

/** The server's remaining TTL of `key` in ms (-1: no expiry, -2: absent). */
function pttl(backend: RedisBackend, key: string): Promise<number> {
  return backend.client.pttl(backend.keyPrefix + key);
}

describe.each(TOPOLOGIES)('operations on a %s Redis', (topology) => {
  it('round-trips "", U+0000, emoji and a 1 MiB value exactly, through set and checkAndSet', async () => {
    const kv = await testBackend(topology);
    const values = ['', 'a\u0000b\u0000', '🔐 ünïcødé 𝄞', `${'x'.repeat(1024 * 1024 - 1)}€`];
    for (const [i, value] of values.entries()) {
      await kv.set(`set-${i}`, value);
      expect(await kv.get(`set-${i}`)).toBe(value);
      expect(await kv.checkAndSet(`cas-${i}`, null, value)).toBe(true);
      expect(await kv.get(`cas-${i}`)).toBe(value);
      expect(await kv.checkAndSet(`cas-${i}`, value, `${value}!`)).toBe(true);
      expect(await kv.checkAndDelete(`cas-${i}`, `${value}!`)).toBe(true);
    }
  });

  it('get, set, delete and the results of checkAndSet / checkAndDelete', async () => {
    const kv = await testBackend(topology);
    expect(await kv.get('k')).toBeNull();
    expect(await kv.delete('k')).toBe(false);
    expect(await kv.checkAndSet('k', 'v0', 'v1')).toBe(false);
    expect(await kv.get('k')).toBeNull();
    expect(await kv.checkAndSet('k', null, 'v1')).toBe(true);
    expect(await kv.checkAndSet('k', null, 'v2')).toBe(false);
    expect(await kv.checkAndSet('k', 'v0', 'v2')).toBe(false);
    expect(await kv.get('k')).toBe('v1');
    expect(await kv.checkAndDelete('k', 'v0')).toBe(false);
    expect(await kv.checkAndDelete('k', 'v1')).toBe(true);
    expect(await kv.checkAndDelete('k', 'v1')).toBe(false);
    await kv.set('k', '');
    expect(await kv.checkAndSet('k', null, 'x')).toBe(false);
    expect(await kv.checkAndSet('k', '', 'x')).toBe(true);
    expect(await kv.delete('k')).toBe(true);
    expect(await kv.get('k')).toBeNull();
    await kv.ping();
  });

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

  it('accepts the largest TTL, Number.MAX_SAFE_INTEGER ms, in set and checkAndSet', async () => {
    const kv = await testBackend(topology);
    await kv.set('far', 'v', { ttl: Number.MAX_SAFE_INTEGER });
    expect(await kv.checkAndSet('far-cas', null, 'v', { ttl: Number.MAX_SAFE_INTEGER })).toBe(true);
    expect(await pttl(kv, 'far')).toBeGreaterThan(2 ** 52);
    expect(await pttl(kv, 'far-cas')).toBeGreaterThan(2 ** 52);
  });

  it('expires a key after its ttl for every operation', async () => {
    const kv = await testBackend(topology);
    const ttl = 50;
    for (const key of ['a', 'b', 'c', 'd']) await kv.set(key, 'v', { ttl });
    const written = performance.now();
    await new Promise((resolve) => setTimeout(resolve, ttl + 20 - (performance.now() - written)));
    expect(await kv.get('a')).toBeNull();
    expect(await kv.delete('b')).toBe(false);
    expect(await kv.checkAndDelete('c', 'v')).toBe(false);
    expect(await kv.checkAndSet('d', 'v', 'w')).toBe(false);
    expect(await kv.checkAndSet('d', null, 'w')).toBe(true);
  });
});
