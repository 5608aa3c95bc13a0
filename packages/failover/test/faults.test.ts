import { isKVError, type KVError } from '@strongbox/core';
import { startRedis, type ThrowawayRedisService, waitUntil } from '@strongbox/test-services';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FailoverState } from '../src/index.js';
import { failoverOnRedis, sleep } from './helpers/backends.js';

/** Slack for timers firing late on a loaded 2-core machine; the bounds come from the options. */
const SCHEDULING_SLACK_MS = 2_000;
const OPERATION_TIMEOUT_MS = 1_000;
const FAILURE_THRESHOLD = 3;

let server: ThrowawayRedisService;

beforeAll(async () => {
  server = await startRedis({ throwaway: true });
});

afterAll(async () => {
  await server?.stop();
});

// Leave the server running and thawed for the next test, whatever the last one did.
afterEach(async () => {
  try {
    await server.controls.resume();
  } catch {
    await server.controls.restart();
  }
});

async function rejectionOf(work: Promise<unknown>): Promise<KVError> {
  try {
    await work;
  } catch (error) {
    expect(isKVError(error), String(error)).toBe(true);
    return error as KVError;
  }
  return expect.unreachable('expected a rejection');
}

describe('failover on a throwaway Redis', () => {
  it('Redis killed mid-load: reads keep succeeding, at most failureThreshold writes fail, then the fallback serves', async () => {
    const transitions: FailoverState[] = [];
    const kv = await failoverOnRedis(server.url, {
      failureThreshold: FAILURE_THRESHOLD,
      cooldownMs: 60_000,
      onStateChange: (state) => transitions.push(state),
      redis: { operationTimeout: OPERATION_TIMEOUT_MS },
    });
    let reading = true;
    let reads = 0;
    const readers = Array.from({ length: 4 }, async () => {
      while (reading) {
        // A failed read is replayed on the fallback, so no read may reject.
        await kv.get(`r:${reads % 10}`);
        reads += 1;
        // The memory fallback answers in microtasks: yield so timers and sockets get their turn.
        await sleep(0);
      }
    });
    await sleep(100);

    await server.controls.shutdown();
    const killedAt = performance.now();
    const failedWrites: { key: string; error: KVError }[] = [];
    let servedBy: 'fallback' | undefined;
    for (let i = 0; servedBy === undefined; i += 1) {
      const key = `w:${i}`;
      try {
        await kv.set(key, 'v');
        if (kv.state !== 'primary') servedBy = 'fallback';
      } catch (error) {
        failedWrites.push({ key, error: error as KVError });
      }
      if (i > 100)
        expect.unreachable(`no write succeeded after the kill (${failedWrites.length} failed)`);
    }
    const servedAfterMs = performance.now() - killedAt;
    reading = false;
    await Promise.all(readers);

    expect(reads).toBeGreaterThan(0);
    expect(kv.state).toBe('fallback');
    expect(transitions).toEqual(['fallback']);
    // The sequential writer sees at most failureThreshold failures (the readers' count too).
    expect(failedWrites.length).toBeLessThanOrEqual(FAILURE_THRESHOLD);
    expect(servedAfterMs).toBeLessThan(
      FAILURE_THRESHOLD * OPERATION_TIMEOUT_MS + SCHEDULING_SLACK_MS,
    );
    for (const { key, error } of failedWrites) {
      expect(error.backend).toBe('failover');
      expect(error.op).toBe('set');
      expect(error.unhealthy).toBe(true);
      expect(isKVError(error.cause)).toBe(true);
      expect((error.cause as KVError).backend).toBe('redis');
      expect(error.code).toBe((error.cause as KVError).code);
      expect(error.indeterminate).toBe((error.cause as KVError).indeterminate);
      // Never replayed: the failed write is not on the fallback.
      expect(await kv.fallback.get(key)).toBeNull();
    }
    // The successful write landed on the fallback, and the breaker does not probe yet.
    expect(await kv.fallback.get(`w:${failedWrites.length}`)).toBe('v');
  });

  it('server back: after the cooldown one probe closes the breaker and new writes land on the primary', async () => {
    const transitions: FailoverState[] = [];
    const kv = await failoverOnRedis(server.url, {
      failureThreshold: FAILURE_THRESHOLD,
      cooldownMs: 300,
      onStateChange: (state) => transitions.push(state),
      redis: { operationTimeout: OPERATION_TIMEOUT_MS },
    });
    await server.controls.shutdown();
    for (let i = 0; i < FAILURE_THRESHOLD; i += 1) await kv.get('trip');
    expect(kv.state).toBe('fallback');
    await kv.set('during', 'outage');
    expect(await kv.fallback.get('during')).toBe('outage');

    await server.controls.restart();
    // Calls drive the breaker: there is no timer, so it probes only when a call arrives.
    await waitUntil(
      'the breaker to close',
      async () => {
        await kv.get('poll');
        return kv.state === 'primary';
      },
      15_000,
      50,
    );
    await kv.set('after', 'recovery');
    expect(await kv.primary.get('after')).toBe('recovery');
    expect(await kv.fallback.get('after')).toBeNull();
    // Every close went through a probe; a failed probe reopened the breaker.
    expect(transitions[0]).toBe('fallback');
    expect(transitions.at(-1)).toBe('primary');
    transitions.forEach((state, i) => {
      if (state === 'primary') expect(transitions[i - 1]).toBe('probing');
      if (state === 'probing') expect(transitions[i - 1]).toBe('fallback');
    });
    // The fallback is not cleared: keys of the outage stay there for the next one.
    expect(await kv.fallback.get('during')).toBe('outage');
  });

  it('hung primary (SIGSTOP): its own TIMEOUTs count, the caller-set deadlines do not', async () => {
    const kv = await failoverOnRedis(server.url, {
      failureThreshold: FAILURE_THRESHOLD,
      cooldownMs: 60_000,
      redis: { operationTimeout: OPERATION_TIMEOUT_MS },
    });
    await kv.set('k', 'before');
    await server.controls.pause();

    // The caller's own deadline: TIMEOUT, not replayed, not counted.
    for (let i = 0; i < FAILURE_THRESHOLD + 2; i += 1) {
      const error = await rejectionOf(kv.get('k', { timeout: 50 }));
      expect(error.code).toBe('TIMEOUT');
      expect(error.backend).toBe('failover');
    }
    expect(kv.state).toBe('primary');

    // The primary's operationTimeout: unhealthy TIMEOUTs that count, and reads are replayed.
    const writeError = await rejectionOf(kv.set('k', 'during'));
    expect(writeError.code).toBe('TIMEOUT');
    expect(writeError.indeterminate).toBe(true);
    expect((writeError.cause as KVError).backend).toBe('redis');
    expect(await kv.fallback.get('k')).toBeNull();
    for (let i = 1; i < FAILURE_THRESHOLD; i += 1) expect(await kv.get('k')).toBeNull();
    expect(kv.state).toBe('fallback');
    await kv.set('k', 'on the fallback');
    expect(await kv.get('k')).toBe('on the fallback');
  });

  it('a hung primary gets one probe at a time, and a failed probe restarts the cooldown', async () => {
    let probes = 0;
    let probesInFlight = 0;
    let mostProbesInFlight = 0;
    const transitions: FailoverState[] = [];
    const kv = await failoverOnRedis(server.url, {
      failureThreshold: 1,
      cooldownMs: 100,
      probeTimeout: 400,
      onStateChange: (state) => transitions.push(state),
      redis: { operationTimeout: 200 },
    });
    const ping = kv.primary.ping.bind(kv.primary);
    kv.primary.ping = async (options) => {
      probes += 1;
      probesInFlight += 1;
      mostProbesInFlight = Math.max(mostProbesInFlight, probesInFlight);
      try {
        return await ping(options);
      } finally {
        probesInFlight -= 1;
      }
    };
    await server.controls.pause();
    await kv.get('trip');
    expect(kv.state).toBe('fallback');
    const started = performance.now();
    const callers = Array.from({ length: 8 }, async () => {
      while (performance.now() - started < 1_500) {
        await kv.get('k');
        await sleep(5);
      }
    });
    await Promise.all(callers);
    expect(probes).toBeGreaterThanOrEqual(2);
    expect(mostProbesInFlight).toBe(1);
    expect(transitions).not.toContain('primary');
    expect(transitions.filter((state) => state === 'probing').length).toBe(probes);
  });

  it('ping checks the serving side and never moves the breaker', async () => {
    const transitions: FailoverState[] = [];
    const kv = await failoverOnRedis(server.url, {
      failureThreshold: 1,
      cooldownMs: 0,
      onStateChange: (state) => transitions.push(state),
      redis: { operationTimeout: OPERATION_TIMEOUT_MS },
    });
    await server.controls.shutdown();
    const error = await rejectionOf(kv.ping());
    expect(error.code).toBe('PING_FAILED');
    expect(error.backend).toBe('failover');
    expect(kv.state).toBe('primary');
    await kv.get('trip');
    expect(transitions).toEqual(['fallback']);
    // With cooldown 0, any call would probe; ping serves from the fallback and does not.
    await kv.ping();
    await kv.ping();
    expect(transitions).toEqual(['fallback']);
  });

  it('any answer from the primary resets the count of consecutive failures', async () => {
    const kv = await failoverOnRedis(server.url, {
      failureThreshold: 2,
      cooldownMs: 60_000,
      redis: { operationTimeout: OPERATION_TIMEOUT_MS },
    });
    await kv.set('counter', 'not a number');
    await server.controls.shutdown();
    expect((await rejectionOf(kv.set('k', 'v'))).unhealthy).toBe(true);
    await server.controls.restart();
    await waitUntil('the primary to reconnect', () =>
      kv.primary.ping().then(
        () => true,
        () => false,
      ),
    );
    // An error that is not about health is an answer too.
    expect((await rejectionOf(kv.increment('k-counter-absent', 1.5))).code).toBe('INVALID_VALUE');
    await kv.set('counter', 'still not a number');
    expect((await rejectionOf(kv.increment('counter'))).code).toBe('NOT_A_COUNTER');
    await server.controls.shutdown();
    expect((await rejectionOf(kv.set('k', 'v'))).unhealthy).toBe(true);
    expect(kv.state).toBe('primary');
    expect((await rejectionOf(kv.set('k', 'v'))).unhealthy).toBe(true);
    expect(kv.state).toBe('fallback');
  });

  it('invariant under load while the primary is killed, restarted and frozen: no write replayed, every acknowledged write on the side that served it', async () => {
    // Each side records the keys sent to it and the keys it acknowledged; the real backends serve.
    let generation = 0; // odd while the server is down: acknowledgements then may be lost with it
    const sent = { primary: new Set<string>(), fallback: new Set<string>() };
    const acked = { primary: new Map<string, number>(), fallback: new Map<string, number>() };
    const kv = await failoverOnRedis(server.url, {
      failureThreshold: FAILURE_THRESHOLD,
      cooldownMs: 200,
      probeTimeout: 500,
      redis: { operationTimeout: OPERATION_TIMEOUT_MS },
    });
    for (const side of ['primary', 'fallback'] as const) {
      const backend = kv[side];
      const set = backend.set.bind(backend);
      backend.set = async (key, value, options) => {
        sent[side].add(key);
        await set(key, value, options);
        acked[side].set(key, generation);
      };
    }

    const succeeded: string[] = [];
    const failed: KVError[] = [];
    const failedKeys: string[] = [];
    let running = true;
    let readFailures = 0;
    const workers = Array.from({ length: 8 }, async (_, worker) => {
      for (let n = 0; running; n += 1) {
        const key = `inv:${worker}:${n}`;
        try {
          await kv.set(key, String(n));
          succeeded.push(key);
        } catch (error) {
          failed.push(error as KVError);
          failedKeys.push(key);
        }
        await kv.get(`inv:${worker}:${n - 1}`).catch(() => (readFailures += 1));
        await sleep(1);
      }
    });

    await sleep(200);
    generation += 1;
    await server.controls.shutdown();
    await sleep(600);
    await server.controls.restart();
    generation += 1;
    await sleep(800);
    await server.controls.pause();
    await sleep(OPERATION_TIMEOUT_MS + 500);
    await server.controls.resume();
    await sleep(800);
    running = false;
    await Promise.all(workers);

    expect(succeeded.length).toBeGreaterThan(50);
    expect(failed.length).toBeGreaterThan(0);
    // Reads are replayed on the fallback and the callers set no deadline: none fails.
    expect(readFailures).toBe(0);
    for (const error of failed) {
      expect(error.backend).toBe('failover');
      expect(error.unhealthy).toBe(true);
    }
    // No key was ever sent to both sides: a failed write is never replayed.
    for (const key of sent.fallback) expect(sent.primary.has(key), key).toBe(false);
    for (const key of failedKeys) expect(sent.fallback.has(key), key).toBe(false);
    // Every acknowledged write was acknowledged by exactly one side, and that side still has it
    // (unless it was the primary before its restart: Redis without persistence forgets).
    for (const key of succeeded) {
      const side = acked.primary.has(key) ? 'primary' : 'fallback';
      expect(acked.fallback.has(key) !== acked.primary.has(key), key).toBe(true);
      if (side === 'primary' && acked.primary.get(key) !== generation) continue;
      expect(await kv[side].get(key), key).toBe(key.split(':')[2]);
    }
    expect(acked.fallback.size).toBeGreaterThan(0);
  });
});
