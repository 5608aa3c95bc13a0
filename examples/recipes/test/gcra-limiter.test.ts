import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { createGcraLimiter } from '../src/gcra-limiter.js';
import { fakeClock } from './fake-clock.js';
import { withFaults } from './faults.js';
import { InterceptedBackend } from './intercepted-backend.js';
import { withJitter } from './jitter.js';

const LIMIT = 10;
const PERIOD_MS = 1000;
const INTERVAL_MS = PERIOD_MS / LIMIT;

async function setup() {
  const clock = fakeClock();
  const memory = await createMemoryBackend({ clock: clock.now });
  return { clock, memory };
}

describe('GCRA limiter', () => {
  it('admits a burst of `limit`, then one request per interval', async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    const limiter = createGcraLimiter(withJitter(kv), {
      limit: LIMIT,
      periodMs: PERIOD_MS,
      onBackendFailure: 'closed',
      now: clock.now,
    });
    const burst = await Promise.all(Array.from({ length: 50 }, () => limiter.hit('user:1')));
    expect(burst.filter((d) => d.allowed)).toHaveLength(LIMIT);
    expect(burst.find((d) => !d.allowed)).toEqual({ allowed: false, retryAfterMs: INTERVAL_MS });
    clock.advance(INTERVAL_MS);
    const next = await Promise.all(Array.from({ length: 20 }, () => limiter.hit('user:1')));
    expect(next.filter((d) => d.allowed)).toHaveLength(1);
    clock.advance(PERIOD_MS); // idle for a whole period: a full burst again
    const refilled = await Promise.all(Array.from({ length: 20 }, () => limiter.hit('user:1')));
    expect(refilled.filter((d) => d.allowed)).toHaveLength(LIMIT);
  });

  it('never admits more than `limit` plus one per elapsed interval, under concurrent traffic', async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    // Two wrappers act as two processes: `update` combines only calls on one backend object,
    // so their commits race and conflict, and the losers re-read.
    const processes = [withJitter(kv), withJitter(kv)].map((backend) =>
      createGcraLimiter(backend, {
        limit: LIMIT,
        periodMs: PERIOD_MS,
        onBackendFailure: 'closed',
        now: clock.now,
      }),
    );
    const admittedAt: number[] = [];
    for (let step = 0; step < 60; step++) {
      const burst = 1 + Math.floor(Math.random() * 8);
      await Promise.all(
        Array.from({ length: burst }, async (_, i) => {
          const limiter = processes[i % 2] as (typeof processes)[number];
          if ((await limiter.hit('user:1')).allowed) admittedAt.push(clock.now());
        }),
      );
      clock.advance(Math.floor(Math.random() * 3 * INTERVAL_MS));
    }
    // GCRA's bound: admissions i..j (in time order) fit in the burst plus the intervals between.
    const violations: string[] = [];
    for (let i = 0; i < admittedAt.length; i++) {
      for (let j = i; j < admittedAt.length; j++) {
        const elapsed = (admittedAt[j] as number) - (admittedAt[i] as number);
        if (j - i + 1 > LIMIT + Math.floor(elapsed / INTERVAL_MS)) {
          violations.push(`${j - i + 1} admitted within ${elapsed} ms`);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(admittedAt.length).toBeGreaterThan(LIMIT);
  });

  it('answers concurrent requests on one key with a read and a CAS per batch, not per request', async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    const calls = { get: 0, checkAndSet: 0 };
    const counted = new InterceptedBackend(kv, (op, _key, forward) => {
      if (op === 'get' || op === 'checkAndSet') calls[op]++;
      return forward();
    });
    const limiter = createGcraLimiter(counted, {
      limit: LIMIT,
      periodMs: PERIOD_MS,
      onBackendFailure: 'closed',
      now: clock.now,
    });
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.hit('user:1')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(LIMIT);
    // All 50 are made in one synchronous run: one batch, one read, one commit.
    expect(calls).toEqual({ get: 1, checkAndSet: 1 });
  });

  it('leaves a key too contended to commit to the failure policy (CONFLICT)', async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    let writes = 0;
    // Another process writes the key between every read and CAS of ours.
    const contended = new InterceptedBackend(kv, async (op, key, forward) => {
      if (op === 'checkAndSet' && key !== undefined) await kv.set(key, String(++writes));
      return forward();
    });
    const limiter = createGcraLimiter(contended, {
      limit: LIMIT,
      periodMs: PERIOD_MS,
      onBackendFailure: 'closed',
      now: clock.now,
    });
    expect(await limiter.hit('user:1')).toMatchObject({
      allowed: false,
      failure: { code: 'CONFLICT', indeterminate: false },
    });
    expect(writes).toBe(64); // update's default maxAttempts
  });

  it('lets the key expire once it carries no information, with a TTL of at least 1 ms', async () => {
    const { clock, memory } = await setup();
    await using kv = memory;
    const limiter = createGcraLimiter(kv, {
      limit: 3,
      periodMs: 1,
      onBackendFailure: 'closed',
      now: clock.now,
    });
    expect((await limiter.hit('user:1')).allowed).toBe(true);
    expect(await kv.get('user:1')).not.toBeNull();
    clock.advance(1);
    expect(await kv.get('user:1')).toBeNull();
  });

  it('admits while the backend is unavailable when failing open', async () => {
    const { clock, memory } = await setup();
    await using inner = memory;
    const { kv, inject } = withFaults(inner);
    const limiter = createGcraLimiter(kv, {
      limit: 1,
      periodMs: PERIOD_MS,
      onBackendFailure: 'open',
      now: clock.now,
    });
    inject('checkAndSet', 'lost');
    expect(await limiter.hit('user:1')).toMatchObject({
      allowed: true,
      failure: { code: 'TIMEOUT' },
    });
  });

  it('rejects while the backend is unavailable when failing closed', async () => {
    const { clock, memory } = await setup();
    await using inner = memory;
    const { kv, inject } = withFaults(inner);
    const limiter = createGcraLimiter(kv, {
      limit: 1,
      periodMs: PERIOD_MS,
      onBackendFailure: 'closed',
      now: clock.now,
    });
    inject('get', 'unhealthy');
    expect(await limiter.hit('user:1')).toMatchObject({
      allowed: false,
      failure: { code: 'GET_FAILED' },
    });
  });
});
