import { isKVError } from '@strongbox/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/create-memory-backend.js';

describe('memory clock', () => {
  it('an injected clock alone decides when a TTL ends', async () => {
    let now = 1_000;
    await using kv = await createMemoryBackend({ clock: () => now });
    await kv.set('k', 'v', { ttl: 100 });
    now = 1_099;
    expect(await kv.get('k')).toBe('v');
    now = 1_100;
    expect(await kv.get('k')).toBeNull();
  });

  it('keepTtl keeps the end of the window through CAS and set', async () => {
    let now = 0;
    await using kv = await createMemoryBackend({ clock: () => now });
    await kv.set('window', '1', { ttl: 100 });
    now = 60;
    expect(await kv.checkAndSet('window', '1', '2', { keepTtl: true })).toBe(true);
    await kv.set('window', '3', { keepTtl: true });
    now = 99;
    expect(await kv.get('window')).toBe('3');
    now = 100;
    expect(await kv.get('window')).toBeNull();
  });

  it('keepTtl on an absent or expired key means no expiry', async () => {
    let now = 0;
    await using kv = await createMemoryBackend({ clock: () => now });
    await kv.set('expired', 'old', { ttl: 10 });
    now = 10;
    expect(await kv.checkAndSet('expired', null, 'new', { keepTtl: true })).toBe(true);
    await kv.set('absent', 'new', { keepTtl: true });
    now = Number.MAX_SAFE_INTEGER;
    expect(await kv.get('expired')).toBe('new');
    expect(await kv.get('absent')).toBe('new');
  });

  it('the longest TTL does not expire early even late on the clock', async () => {
    let now = 1e12;
    await using kv = await createMemoryBackend({ clock: () => now });
    await kv.set('k', 'v', { ttl: Number.MAX_SAFE_INTEGER });
    now += 1e15;
    expect(await kv.get('k')).toBe('v');
  });

  it('a clock that gives no finite number fails the operation and writes nothing', async () => {
    let now = 0;
    await using kv = await createMemoryBackend({ clock: () => now });
    now = Number.NaN;
    const failure = await kv.set('k', 'v', { ttl: 10 }).catch((error: unknown) => error);
    expect(isKVError(failure, 'SET_FAILED')).toBe(true);
    // Nothing was written, so the error must not say the write may have been applied.
    expect(failure).toMatchObject({ indeterminate: false, unhealthy: false });
    expect(String((failure as Error).cause)).toContain('clock returned NaN');
    now = 0;
    expect(await kv.get('k')).toBeNull();
  });
});
