import assert from 'node:assert/strict';
import type { KVBackend } from '../backend.js';
import { describeValue } from './describe-value.js';
import { now, sleep, sleepUntil } from './timing.js';

/**
 * The contract's allowance for clock granularity, applied to both ends of the expiry bound: a
 * millisecond clock (Redis, `Date.now()`) may put a key's expiry up to 1 ms before the real
 * invocation time plus its TTL.
 */
const CLOCK_SLACK_MS = 5;

/** When a write was invoked and when it resolved, on the suite's stopwatch. */
export interface WriteTimes {
  invokedAt: number;
  resolvedAt: number;
}

/** Run `write` and record its {@link WriteTimes}. */
export async function timed(write: () => Promise<unknown>): Promise<WriteTimes> {
  const invokedAt = now();
  await write();
  return { invokedAt, resolvedAt: now() };
}

/** A key under an expiry check: how to read it and the value it must read while live. */
export interface ExpiryProbe {
  what: string;
  value: string;
  read(): Promise<string | null>;
}

/** The probe of `key` on `backend`, live with `value`. */
export function probeOf(backend: KVBackend, key: string, value: string, what: string): ExpiryProbe {
  return { what, value, read: () => backend.get(key) };
}

/**
 * Check the contract's expiry bound for keys written with `ttl` between `times.invokedAt` and
 * `times.resolvedAt`: every read that completes before `invokedAt + ttl - 5 ms` sees the
 * probe's value, and a read that starts after `resolvedAt + ttl + 5 ms` sees null. Resolves to the
 * fewest reads any probe completed inside the live window: 0 means this machine was too slow
 * to check presence at all.
 */
export async function checkExpiryBound(
  probes: readonly ExpiryProbe[],
  times: WriteTimes,
  ttl: number,
  what: string,
): Promise<number> {
  const liveUntil = certainlyLiveUntil(times, ttl);
  const liveReads = probes.map(() => 0);
  for (let pastLive = false; !pastLive; await sleep(Math.min(20, ttl / 4))) {
    for (const [i, probe] of probes.entries()) {
      const observed = await probe.read();
      const completedAt = now();
      const age = `${(completedAt - times.invokedAt).toFixed(1)} ms after ${what} was invoked (ttl ${ttl})`;
      if (completedAt < liveUntil) {
        assert.equal(
          observed,
          probe.value,
          `${probe.what}: ${age} it read ${describeValue(observed)}`,
        );
        liveReads[i] = (liveReads[i] ?? 0) + 1;
      } else {
        assert.ok(
          observed === probe.value || observed === null,
          `${probe.what}: ${age} it read ${describeValue(observed)}`,
        );
        pastLive = true;
      }
    }
  }
  await sleepUntil(times.resolvedAt + ttl + CLOCK_SLACK_MS);
  for (const probe of probes) {
    const late = (now() - times.resolvedAt).toFixed(1);
    const observed = await probe.read();
    assert.equal(
      observed,
      null,
      `${probe.what}: ${late} ms after ${what} resolved (ttl ${ttl}) it still read ${describeValue(observed)}`,
    );
  }
  return Math.min(...liveReads);
}

/** How many times {@link withGrowingTtl} doubles the TTL before giving up. */
const TTL_ATTEMPTS = 3;

/**
 * Run an expiry scenario, doubling its TTL while it could not observe the key alive (a
 * heavily loaded machine), so the presence half of the bound is always checked at least once.
 * `scenario` returns the number of live reads it made; `attempt` lets it use fresh keys.
 */
export async function withGrowingTtl(
  initialTtl: number,
  scenario: (ttl: number, attempt: number) => Promise<number>,
): Promise<void> {
  for (let attempt = 0; attempt < TTL_ATTEMPTS; attempt++) {
    const ttl = initialTtl * 2 ** attempt;
    if ((await scenario(ttl, attempt)) > 0) return;
  }
  assert.fail(
    `inconclusive: even with a ${initialTtl * 2 ** (TTL_ATTEMPTS - 1)} ms ttl no read completed before the key's expiry; the machine is too loaded`,
  );
}

/** Until when a key written with `ttl` at `times` is certainly live. */
export function certainlyLiveUntil(times: WriteTimes, ttl: number): number {
  return times.invokedAt + ttl - CLOCK_SLACK_MS;
}

/** Wait until a key written with `ttl` at `times` would certainly have expired. */
export function untilExpired(times: WriteTimes, ttl: number): Promise<void> {
  return sleepUntil(times.resolvedAt + ttl + CLOCK_SLACK_MS);
}
