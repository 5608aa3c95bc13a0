import { setImmediate as nextTurn } from 'node:timers/promises';
import type { KVBackend } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { acquireLease, type Lease } from '../src/lease.js';
import { fakeClock } from './fake-clock.js';
import { withFaults } from './faults.js';
import { withJitter } from './jitter.js';

const TTL = 1000;

async function setup() {
  const clock = fakeClock();
  const memory = await createMemoryBackend({ clock: clock.now });
  const acquire = (kv: KVBackend = memory) =>
    acquireLease(kv, 'lease:report', { ttl: TTL, clock: clock.now });
  return { clock, memory, acquire, [Symbol.asyncDispose]: () => memory.close() };
}

describe('lease', () => {
  it('goes to exactly one of many concurrent acquirers', async () => {
    await using env = await setup();
    const { memory: kv, acquire } = env;
    const jittery = withJitter(kv);
    const leases = await Promise.all(Array.from({ length: 30 }, () => acquire(jittery)));
    const held = leases.filter((lease): lease is Lease => lease !== null);
    expect(held).toHaveLength(1);
    expect(await kv.get('lease:report')).toBe(held[0]?.token);
  });

  it('has one holder at a time while workers acquire and release it concurrently', async () => {
    await using env = await setup();
    const { memory: kv, acquire } = env;
    const jittery = withJitter(kv);
    let holders = 0;
    let mostHolders = 0;
    let completed = 0;
    const worker = async () => {
      for (let done = 0; done < 10; ) {
        const lease = await acquire(jittery);
        if (lease === null) {
          await nextTurn();
          continue;
        }
        holders++;
        mostHolders = Math.max(mostHolders, holders);
        await nextTurn(); // work while holding it
        holders--;
        expect(await lease.release()).toBe(true);
        done++;
        completed++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(mostHolders).toBe(1);
    expect(completed).toBe(80);
  });

  it('is renewed by its holder, which keeps others out', async () => {
    await using env = await setup();
    const { clock, acquire } = env;
    const lease = await acquire();
    clock.advance(TTL - 1);
    expect(await lease?.renew()).toBe(true);
    expect(lease?.validUntil).toBe(2 * TTL - 1);
    clock.advance(TTL - 1);
    expect(await acquire()).toBeNull();
    expect(lease?.isValid()).toBe(true);
    clock.advance(1);
    expect(lease?.isValid()).toBe(false);
    expect(await acquire()).not.toBeNull();
  });

  it('can be taken over once it lapses; the old holder can neither renew nor release it', async () => {
    await using env = await setup();
    const { clock, memory: kv, acquire } = env;
    const old = await acquire();
    clock.advance(TTL);
    expect(old?.isValid()).toBe(false);
    const taker = await acquire();
    expect(taker).not.toBeNull();
    expect(await old?.renew()).toBe(false);
    expect(await old?.release()).toBe(false);
    expect(await kv.get('lease:report')).toBe(taker?.token);
    expect(await taker?.renew()).toBe(true);
  });

  it('is free for the next acquirer once released', async () => {
    await using env = await setup();
    const { acquire } = env;
    const lease = await acquire();
    expect(await acquire()).toBeNull();
    expect(await lease?.release()).toBe(true);
    expect(lease?.isValid()).toBe(false);
    expect(await acquire()).not.toBeNull();
  });

  describe('when the backend fails', () => {
    it('is acquired when the claim landed but its reply was lost', async () => {
      const { memory, acquire } = await setup();
      await using inner = memory;
      const { kv, inject, untriggered } = withFaults(inner);
      inject('checkAndSet', 'applied');
      const lease = await acquire(kv);
      expect(lease).not.toBeNull();
      expect(untriggered()).toBe(0);
      expect(await inner.get('lease:report')).toBe(lease?.token);
    });

    it('is acquired by repeating a claim that timed out without landing', async () => {
      const { memory, acquire } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      inject('checkAndSet', 'lost');
      const lease = await acquire(kv);
      expect(await inner.get('lease:report')).toBe(lease?.token);
    });

    it('is not acquired when a lost claim is followed by another holder', async () => {
      const { memory, acquire } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      const other = await acquire();
      inject('checkAndSet', 'lost');
      expect(await acquire(kv)).toBeNull();
      expect(await inner.get('lease:report')).toBe(other?.token);
    });

    it('rejects an acquire while the backend is unavailable, leaving the lease free', async () => {
      const { memory, acquire } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      inject('checkAndSet', 'unhealthy');
      await expect(acquire(kv)).rejects.toMatchObject({
        code: 'CHECK_AND_SET_FAILED',
        unhealthy: true,
      });
      expect(await acquire(kv)).not.toBeNull();
    });

    it('keeps the old deadline when a renewal fails, so the holder stops in time', async () => {
      const { clock, memory, acquire } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      const lease = await acquire(kv);
      clock.advance(TTL / 2);
      inject('checkAndSet', 'unhealthy');
      await expect(lease?.renew()).rejects.toMatchObject({ unhealthy: true });
      expect(lease?.validUntil).toBe(TTL);
      clock.advance(TTL / 2);
      expect(lease?.isValid()).toBe(false);
    });

    it('is renewed when a renewal landed but its reply was lost', async () => {
      const { clock, memory, acquire } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      const lease = await acquire(kv);
      clock.advance(TTL / 2);
      inject('checkAndSet', 'applied');
      expect(await lease?.renew()).toBe(true);
      expect(lease?.validUntil).toBe(TTL / 2 + TTL);
    });

    it('is released when the release landed but its reply was lost', async () => {
      const { memory, acquire } = await setup();
      await using inner = memory;
      const { kv, inject } = withFaults(inner);
      const lease = await acquire(kv);
      inject('checkAndDelete', 'applied');
      expect(await lease?.release()).toBe(false); // the repeat found it gone
      expect(await inner.get('lease:report')).toBeNull();
    });
  });
});
