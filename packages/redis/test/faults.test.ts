import { FAILURE_CODE_BY_OP, isIndeterminate, isKVError, type KVError } from '@strongbox/core';
import { startRedis, type ThrowawayRedisService, waitUntil } from '@strongbox/test-services';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend, type RedisBackend, type RedisBackendOptions } from '../src/index.js';
import { closeAfterTest, uniqueName } from './helpers/backends.js';
import { dropConnections, withAdmin } from './helpers/connections.js';
import {
  EVERY_OPERATION,
  type OperationName,
  sleep,
  timedRejection,
  WRITES,
} from './helpers/faults.js';
import { runningAndThawed } from './helpers/server-reset.js';

/** Slack for timers firing late on a loaded 2-core machine; the bounds themselves come from the contract. */
const SCHEDULING_SLACK_MS = 1_000;
const RECOVERY_TIMEOUT_MS = 10_000;

let server: ThrowawayRedisService;

beforeAll(async () => {
  server = await startRedis({ throwaway: true });
});

afterAll(async () => {
  await server?.stop();
});

afterEach(() => runningAndThawed(server.controls));

async function backend(options: Partial<RedisBackendOptions> = {}): Promise<RedisBackend> {
  const name = uniqueName('faults');
  return closeAfterTest(
    await createRedisBackend({
      url: server.url,
      connectionName: name,
      keyPrefix: `${name}:`,
      ...options,
    }),
  );
}

function waitForRecovery(kv: RedisBackend): Promise<void> {
  return waitUntil(
    'the backend to recover',
    () =>
      kv.ping().then(
        () => true,
        () => false,
      ),
    RECOVERY_TIMEOUT_MS,
    100,
  );
}

/** A failed operation must say why: unhealthy always; a write is indeterminate unless never sent. */
function expectConnectionFailure(op: string, error: unknown): void {
  expect(isKVError(error), String(error)).toBe(true);
  const kvError = error as KVError;
  expect(kvError.unhealthy, `${op}: ${kvError.message}`).toBe(true);
  if (!WRITES.has(op)) expect(kvError.indeterminate).toBe(false);
  else if (!kvError.indeterminate) {
    expect(String((kvError.cause as Error | undefined)?.message)).toMatch(
      /enableOfflineQueue options is false/,
    );
  }
}

describe('faults on a throwaway Redis', () => {
  it('CLIENT KILL mid-load: only unhealthy/indeterminate errors, no lost or invented CAS result, then recovery', async () => {
    const kv = await backend();
    const bystander = await backend();
    await kv.set('counter', '0');
    let applied = 0;
    let maybeApplied = 0;
    const failures: { op: string; error: unknown }[] = [];
    let killing = true;

    const worker = async () => {
      while (killing) {
        try {
          const current = await kv.get('counter');
          try {
            if (await kv.checkAndSet('counter', current, String(Number(current) + 1))) applied++;
          } catch (error) {
            failures.push({ op: 'checkAndSet', error });
            if (isIndeterminate(error)) maybeApplied++;
            await sleep(5);
          }
        } catch (error) {
          failures.push({ op: 'get', error });
          await sleep(5);
        }
      }
    };
    const killer = async () => {
      let killed = 0;
      for (let round = 0; round < 10; round++) {
        await sleep(100);
        killed += await dropConnections(kv);
        expect(await bystander.get('unrelated')).toBeNull(); // other backends are untouched
      }
      killing = false;
      return killed;
    };
    const [killed] = await Promise.all([killer(), ...Array.from({ length: 8 }, worker)]);

    expect(killed).toBeGreaterThanOrEqual(10);
    expect(failures.length).toBeGreaterThan(0);
    for (const { op, error } of failures) expectConnectionFailure(op, error);
    await waitForRecovery(kv);
    const final = Number(await kv.get('counter'));
    expect(final).toBeGreaterThanOrEqual(applied);
    expect(final).toBeLessThanOrEqual(applied + maybeApplied);
    expect(await kv.checkAndSet('counter', String(final), 'done')).toBe(true);
  });

  it('CLIENT KILL mid-increments: every applied delta counted once, only indeterminate ones unknown', async () => {
    const kv = await backend();
    let applied = 0;
    let maybeApplied = 0;
    let highest = 0;
    const failures: unknown[] = [];
    let killing = true;
    const worker = async () => {
      while (killing) {
        // Several calls at once, so that some are combined.
        const results = await Promise.allSettled(
          Array.from({ length: 4 }, () => kv.increment('hits', 1)),
        );
        for (const result of results) {
          if (result.status === 'fulfilled') {
            applied++;
            highest = Math.max(highest, result.value.value);
          } else {
            failures.push(result.reason);
            if (isIndeterminate(result.reason)) maybeApplied++;
          }
        }
        if (results.some((result) => result.status === 'rejected')) await sleep(5);
      }
    };
    const killer = async () => {
      for (let round = 0; round < 8; round++) {
        await sleep(100);
        await dropConnections(kv);
      }
      killing = false;
    };
    await Promise.all([killer(), ...Array.from({ length: 8 }, worker)]);

    expect(failures.length).toBeGreaterThan(0);
    for (const error of failures) expectConnectionFailure('increment', error);
    await waitForRecovery(kv);
    const final = Number(await kv.get('hits'));
    expect(final).toBeGreaterThanOrEqual(Math.max(applied, highest));
    expect(final).toBeLessThanOrEqual(applied + maybeApplied);
  });

  it('server shutdown: every operation, in flight or new, rejects unhealthy within 5 s', async () => {
    const kv = await backend();
    const inFlight = Object.entries(EVERY_OPERATION).map(([op, run]) =>
      run(kv).then(
        () => undefined,
        (error: unknown) => ({ op, error }),
      ),
    );
    await server.controls.shutdown();
    const later = [];
    for (const [op, run] of Object.entries(EVERY_OPERATION)) {
      later.push({ op, ...(await timedRejection(() => run(kv))) });
    }
    await sleep(300); // while ioredis is reconnecting
    for (const [op, run] of Object.entries(EVERY_OPERATION)) {
      later.push({ op, ...(await timedRejection(() => run(kv))) });
    }
    // Operations already sent may have completed before the server went away; failures are unhealthy.
    for (const failure of await Promise.all(inFlight)) {
      if (failure !== undefined) expectConnectionFailure(failure.op, failure.error);
    }
    for (const { op, error, elapsed } of later) {
      expectConnectionFailure(op, error);
      expect(elapsed).toBeLessThanOrEqual(5_000 + SCHEDULING_SLACK_MS);
    }
  });

  it('server down, connection not ready: every write rejects at once, determinate (never sent)', async () => {
    const kv = await backend();
    await kv.ping();
    await server.controls.shutdown();
    await waitUntil('the client to notice', async () => kv.client.status !== 'ready');
    for (const [op, run] of Object.entries(EVERY_OPERATION)) {
      const { error } = await timedRejection(() => run(kv));
      expect(error.code, error.message).toBe(FAILURE_CODE_BY_OP[op as OperationName]);
      expect(error.unhealthy).toBe(true);
      expect(error.indeterminate, op).toBe(false);
    }
  });

  it('restart: the same backend recovers by itself', async () => {
    const kv = await backend();
    await kv.set('before', 'v');
    await server.controls.shutdown();
    await expect(kv.ping()).rejects.toMatchObject({ code: 'PING_FAILED', unhealthy: true });
    await server.controls.restart();
    await waitForRecovery(kv);
    expect(await kv.get('before')).toBeNull(); // no persistence on the test server
    expect(await kv.checkAndSet('after', null, 'v')).toBe(true);
    expect(await kv.checkAndDelete('after', 'v')).toBe(true);
  });

  it('hung server (SIGSTOP): TIMEOUT within operationTimeout, indeterminate for writes; thawed, it serves again', async () => {
    const operationTimeout = 300;
    const kv = await backend({ operationTimeout });
    await kv.ping();
    await server.controls.pause();
    const results = await Promise.all(
      Object.entries(EVERY_OPERATION).map(async ([op, run]) => ({
        op: op as OperationName,
        ...(await timedRejection(() => run(kv))),
      })),
    );
    const perCall = await timedRejection(() => kv.get('k', { timeout: 100 }));
    await server.controls.resume();

    for (const { op, error, elapsed } of results) {
      expect(error.code).toBe('TIMEOUT');
      expect(error.unhealthy).toBe(true);
      expect(error.indeterminate).toBe(WRITES.has(op));
      expect(elapsed).toBeGreaterThanOrEqual(operationTimeout - 1);
      expect(elapsed).toBeLessThanOrEqual(operationTimeout + SCHEDULING_SLACK_MS);
    }
    expect(perCall.error.code).toBe('TIMEOUT');
    expect(perCall.elapsed).toBeLessThan(operationTimeout);
    await waitForRecovery(kv);
    expect(await kv.checkAndSet('thawed', null, 'v')).toBe(true);
  });

  it('a connection lost with commands in flight: they reject at once (not TIMEOUT), unhealthy, writes indeterminate', async () => {
    const kv = await backend();
    await kv.ping();
    await server.controls.pause(); // the commands below are sent and stay unanswered
    const inFlight = Object.entries(EVERY_OPERATION).map(async ([op, run]) => ({
      op,
      ...(await timedRejection(() => run(kv))),
    }));
    await sleep(50);
    (kv.client as unknown as { stream: { destroy(): void } }).stream.destroy(); // the network drops
    const results = await Promise.all(inFlight);
    await server.controls.resume();
    for (const { op, error } of results) {
      expect(error.code, error.message).toBe(FAILURE_CODE_BY_OP[op as OperationName]);
      expect(error.unhealthy).toBe(true);
      expect(error.indeterminate).toBe(WRITES.has(op));
    }
    await waitForRecovery(kv);
  });

  it('SCRIPT FLUSH: checkAndSet, checkAndDelete and increment reload their scripts and still work', async () => {
    const kv = await backend();
    expect(await kv.checkAndSet('k', null, 'a')).toBe(true);
    expect(await kv.checkAndDelete('k', 'a')).toBe(true);
    expect(await kv.increment('n')).toEqual({ value: 1, ttl: null });
    const address = { host: new URL(server.url).hostname, port: Number(new URL(server.url).port) };
    await withAdmin(address, async (admin) => {
      await admin.script('FLUSH');
      await admin.config('RESETSTAT');
    });
    expect(await kv.checkAndSet('k', null, 'b')).toBe(true);
    expect(await kv.checkAndSet('k', 'x', 'c')).toBe(false);
    expect(await kv.checkAndDelete('k', 'x')).toBe(false);
    expect(await kv.checkAndDelete('k', 'b')).toBe(true);
    expect(await kv.increment('n', 2)).toEqual({ value: 3, ttl: null });
    expect(await kv.increment('n', -3)).toEqual({ value: 0, ttl: null });
    const stats = await withAdmin(address, (admin) => admin.info('commandstats'));
    // One EVALSHA miss and one EVAL per script, then EVALSHA hits only.
    expect(stats).toMatch(/cmdstat_eval:calls=3,/);
    expect(stats).toMatch(/cmdstat_evalsha:calls=6,.*failed_calls=3/);
  });
});
