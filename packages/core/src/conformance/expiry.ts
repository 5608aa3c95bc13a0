import assert from 'node:assert/strict';
import { describeValue } from './describe-value.js';
import { now, sleep, sleepUntil } from './timing.js';

/** The contract's allowance for clock granularity in the expiry bound. */
export const CLOCK_SLACK_MS = 5;

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

/**
 * Check the contract's expiry bound for a key written with `ttl` at `times`: every read that
 * completes before `invokedAt + ttl` sees `value`, and a read that starts after
 * `resolvedAt + ttl + 5 ms` sees null. Resolves to the number of reads that completed inside
 * the live window: 0 means this machine was too slow to check presence at all.
 */
export async function checkExpiryBound(
  read: () => Promise<string | null>,
  value: string,
  times: WriteTimes,
  ttl: number,
  what: string,
): Promise<number> {
  const liveUntil = times.invokedAt + ttl;
  let liveReads = 0;
  for (;;) {
    const observed = await read();
    const completedAt = now();
    const age = `${(completedAt - times.invokedAt).toFixed(1)} ms after the write was invoked`;
    if (completedAt < liveUntil) {
      assert.equal(
        observed,
        value,
        `${what}: ${age} (ttl ${ttl}) the key read as ${describeValue(observed)}`,
      );
      liveReads++;
    } else {
      assert.ok(
        observed === value || observed === null,
        `${what}: ${age} read ${describeValue(observed)}`,
      );
      break;
    }
    await sleep(Math.min(20, ttl / 4));
  }
  const goneFrom = times.resolvedAt + ttl + CLOCK_SLACK_MS;
  await sleepUntil(goneFrom);
  const late = (now() - times.resolvedAt).toFixed(1);
  const observed = await read();
  assert.equal(
    observed,
    null,
    `${what}: ${late} ms after the write resolved (ttl ${ttl}) the key still read as ${describeValue(observed)}`,
  );
  return liveReads;
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

/** Wait until a key written with `ttl` at `times` would certainly have expired. */
export function untilExpired(times: WriteTimes, ttl: number): Promise<void> {
  return sleepUntil(times.resolvedAt + ttl + CLOCK_SLACK_MS);
}
