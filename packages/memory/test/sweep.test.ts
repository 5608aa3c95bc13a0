import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KVError } from '@strongbox/core';
import { describe, expect, it } from 'vitest';
import { InspectableMemoryBackend } from './inspectable-memory-backend.js';

/** Poll `condition` until it holds or `limitMs` passes (generous: the machine may be loaded). */
async function eventually(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** Heap bytes in use after full garbage collections (Bun's own call; V8's flag elsewhere). */
function heapUsedAfterGc(): number {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) {
    bun.gc(true);
  } else {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

describe('memory sweep', () => {
  it('reclaims expired entries in steps of at most one batch, earliest first', async () => {
    let now = 0;
    await using kv = new InspectableMemoryBackend({ clock: () => now });
    const batch = kv.batchSize;
    const expiring = 2 * batch + batch / 2;
    for (let i = 0; i < expiring; i++) await kv.set(`old:${i}`, 'v', { ttl: 10 });
    await kv.set('later', 'v', { ttl: 1000 });
    await kv.set('forever', 'v');
    now = 10;

    expect(kv.sweepStep()).toBe(true);
    expect(kv.sweepStep()).toBe(true);
    expect(kv.sweepStep()).toBe(false);
    expect(kv.sweptPerStep).toEqual([batch, batch, batch / 2]);
    expect(kv.storedCount).toBe(2);
    expect(kv.indexedCount).toBe(1);
    expect(await kv.get('later')).toBe('v');
    expect(await kv.get('forever')).toBe('v');
  });

  it('the timer reclaims a backlog in steps of at most one batch', async () => {
    let now = 0;
    await using kv = new InspectableMemoryBackend({ clock: () => now, sweepInterval: 5 });
    const expiring = 5 * kv.batchSize;
    for (let i = 0; i < expiring; i++) await kv.set(`k${i}`, 'v', { ttl: 1 });
    now = 1;
    await eventually(() => kv.storedCount === 0);
    expect(kv.indexedCount).toBe(0);
    expect(Math.max(...kv.sweptPerStep)).toBe(kv.batchSize);
  });

  it('gives back the memory of a mass expiry, index included', async () => {
    let now = 0;
    await using kv = new InspectableMemoryBackend({ clock: () => now });
    const keys = 300_000;
    const before = heapUsedAfterGc();
    for (let i = 0; i < keys; i++) await kv.set(`k${i}`, 'v', { ttl: 10 });
    const filled = heapUsedAfterGc();
    now = 10;
    while (kv.sweepStep());
    const swept = heapUsedAfterGc();
    expect(kv.storedCount + kv.indexedCount).toBe(0);
    // Each key costs well over 50 bytes while stored; after the sweep a few bytes per key
    // (the index array or the map's table at their peak size) would already exceed the bound.
    expect(filled - before).toBeGreaterThan(50 * keys);
    expect(swept - before).toBeLessThan(2 * keys);
  });

  it('renewing one lease many times keeps one entry in the store and one in the index', async () => {
    let now = 0;
    await using kv = new InspectableMemoryBackend({ clock: () => now });
    await kv.set('lease', 'holder-0', { ttl: 1500 });
    for (let i = 1; i <= 10_000; i++) {
      now += 1000;
      expect(await kv.checkAndSet('lease', `holder-${i - 1}`, `holder-${i}`, { ttl: 1500 })).toBe(
        true,
      );
      await kv.set('lease', `holder-${i}`, { ttl: 1500 });
      expect(kv.sweepStep()).toBe(false);
    }
    expect(kv.storedCount).toBe(1);
    expect(kv.indexedCount).toBe(1);
    expect(await kv.get('lease')).toBe('holder-10000');
  });

  it('never reclaims a key renewed or re-created after it was first indexed', async () => {
    let now = 0;
    await using kv = new InspectableMemoryBackend({ clock: () => now });
    await kv.set('renewed', 'a', { ttl: 10 });
    await kv.set('recreated', 'a', { ttl: 10 });
    await kv.set('unlimited', 'a', { ttl: 10 });
    await kv.set('plain', 'a', { ttl: 10 });
    now = 5;
    await kv.set('renewed', 'b', { ttl: 100 });
    await kv.delete('recreated');
    expect(await kv.checkAndSet('recreated', null, 'b', { ttl: 100 })).toBe(true);
    await kv.set('unlimited', 'b');
    now = 50;
    expect(kv.sweepStep()).toBe(false);
    expect(kv.sweptPerStep).toEqual([1]);
    expect(await kv.get('renewed')).toBe('b');
    expect(await kv.get('recreated')).toBe('b');
    expect(await kv.get('unlimited')).toBe('b');
    expect(await kv.get('plain')).toBeNull();
    expect(kv.indexedCount).toBe(2);
  });

  it('deleting or overwriting without a TTL removes the key from the index', async () => {
    await using kv = new InspectableMemoryBackend();
    await kv.set('a', 'v', { ttl: 60_000 });
    await kv.set('b', 'v', { ttl: 60_000 });
    await kv.set('c', 'v', { ttl: 60_000 });
    await kv.delete('a');
    expect(await kv.checkAndDelete('b', 'v')).toBe(true);
    await kv.set('c', 'v');
    expect(kv.indexedCount).toBe(0);
    expect(kv.storedCount).toBe(1);
  });

  it('reading an expired key reclaims it before any sweep', async () => {
    let now = 0;
    await using kv = new InspectableMemoryBackend({ clock: () => now });
    await kv.set('k', 'v', { ttl: 10 });
    now = 10;
    expect(await kv.get('k')).toBeNull();
    expect(kv.storedCount).toBe(0);
    expect(kv.indexedCount).toBe(0);
  });

  it('reports a sweep failure to onError as PURGE_FAILED and keeps sweeping afterwards', async () => {
    let now = 0;
    let clockBroken = false;
    const errors: KVError[] = [];
    await using kv = new InspectableMemoryBackend({
      sweepInterval: 5,
      clock: () => {
        if (clockBroken) throw new Error('clock exploded');
        return now;
      },
      onError: (error) => errors.push(error),
    });
    await kv.set('k', 'v', { ttl: 10 });
    clockBroken = true;
    await eventually(() => errors.length > 0);
    const [error] = errors;
    expect(error).toMatchObject({
      name: 'KVError',
      code: 'PURGE_FAILED',
      op: 'purge',
      indeterminate: false,
    });
    expect(String(error?.cause)).toContain('clock exploded');
    now = 10;
    clockBroken = false;
    await eventually(() => kv.storedCount === 0);
  });

  it('emits a process warning for sweep failures when no onError is given', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await using _kv = new InspectableMemoryBackend({ sweepInterval: 5, clock: () => Number.NaN });
      await eventually(() => warnings.some((w) => w.name === 'KVError'));
      expect(warnings.find((w) => w.name === 'KVError')).toMatchObject({ code: 'PURGE_FAILED' });
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('stops sweeping and frees its entries on close', async () => {
    let now = 0;
    const kv = new InspectableMemoryBackend({ clock: () => now, sweepInterval: 5 });
    await kv.set('k', 'v', { ttl: 10 });
    await eventually(() => kv.sweptPerStep.length > 0);
    await kv.close();
    expect(kv.storedCount).toBe(0);
    const stepsAtClose = kv.sweptPerStep.length;
    now = 100;
    await sleep(50);
    expect(kv.sweptPerStep.length).toBe(stepsAtClose);
  });
});
