import { describe, expect, it } from 'vitest';
import { TOPOLOGIES, testBackend } from './helpers/backends.js';

describe.each(TOPOLOGIES)('keyPrefix on a %s Redis', (topology) => {
  it('stores every key under the prefix and isolates backends with different prefixes', async () => {
    const a = await testBackend(topology);
    const b = await testBackend(topology);
    await a.set('shared', 'from a');
    expect(await a.client.get(`${a.keyPrefix}shared`)).toBe('from a');
    expect(await a.client.exists('shared')).toBe(0);

    expect(await b.get('shared')).toBeNull();
    expect(await b.delete('shared')).toBe(false);
    expect(await b.checkAndDelete('shared', 'from a')).toBe(false);
    expect(await b.checkAndSet('shared', 'from a', 'from b')).toBe(false);
    expect(await b.checkAndSet('shared', null, 'from b')).toBe(true);
    expect(await a.get('shared')).toBe('from a');
    expect(await b.get('shared')).toBe('from b');
  });

  it('accepts a hash-tagged prefix, which keeps all keys in one slot', async () => {
    const kv = await testBackend(topology, { keyPrefix: '{tenant-42}:' });
    for (const key of ['a', 'b', 'c']) expect(await kv.checkAndSet(key, null, key)).toBe(true);
    if (topology === 'cluster') {
      const slots = await Promise.all(
        ['a', 'b', 'c'].map((key) => kv.client.cluster('KEYSLOT', `{tenant-42}:${key}`)),
      );
      expect(new Set(slots).size).toBe(1);
    }
    for (const key of ['a', 'b', 'c']) expect(await kv.checkAndDelete(key, key)).toBe(true);
  });
});
