import { describe, expect, it } from 'vitest';
import { InspectableMemoryBackend } from './inspectable-memory-backend.js';

describe('memory reclaims expired entries as it is used', () => {
  it('stored entries stay bounded by live keys under a stream of short-TTL inserts, even when the sweep timer never runs', async () => {
    let now = 0;
    // The sweep timer never fires here (its interval is huge): as when a busy process starves it.
    await using kv = new InspectableMemoryBackend({ clock: () => now });
    const ttl = 5;
    let mostStored = 0;
    for (let i = 0; i < 20_000; i++) {
      await kv.set(`k${i}`, 'v', { ttl });
      now += 1; // one insert per ms: about `ttl` keys are live at any time
      mostStored = Math.max(mostStored, kv.storedCount);
    }
    expect(mostStored).toBeLessThanOrEqual(ttl + 2);
    expect(kv.indexedCount).toBeLessThanOrEqual(ttl + 2);
    expect(kv.sweptPerStep).toEqual([]); // no sweep step did it
  });

  it('reclaiming on the way never removes a live or renewed key', async () => {
    let now = 0;
    await using kv = new InspectableMemoryBackend({ clock: () => now });
    await kv.set('renewed', 'a', { ttl: 10 });
    await kv.set('forever', 'f');
    await kv.set('long', 'l', { ttl: 1000 });
    for (let i = 0; i < 100; i++) await kv.set(`short${i}`, 'v', { ttl: 5 });
    now = 9;
    await kv.set('renewed', 'b', { ttl: 10 }); // renewed until 19
    now = 15;
    for (let i = 0; i < 100; i++) await kv.get(`missing${i}`);
    expect(kv.storedCount).toBe(3);
    expect(await kv.get('renewed')).toBe('b');
    expect(await kv.get('forever')).toBe('f');
    expect(await kv.get('long')).toBe('l');
  });
});
