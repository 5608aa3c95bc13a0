import { isKVError, type KVError } from '@strongbox/core';
import { startRedis, type ThrowawayRedisService } from '@strongbox/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { uniqueName } from './helpers/backends.js';
import { withAdmin } from './helpers/connections.js';

const SOAK_MS = 15_000;
const WORKERS = 8;
const FLUSH_EVERY_MS = 100;
const RESTART_AT_MS = [5_000, 10_000];
/** After a restart, calls may still fail for this long once the backend served again. */
const SETTLE_MS = 1_000;

let server: ThrowawayRedisService;

beforeAll(async () => {
  server = await startRedis({ throwaway: true });
});

afterAll(async () => {
  await server?.stop();
});

describe('soak: script flushes and restarts under load', () => {
  it('SCRIPT FLUSH every 100 ms fails no call; a restart fails calls only unhealthy and only while it lasts; no result contradicts the data', async () => {
    const name = uniqueName('soak');
    const kv = await createRedisBackend({
      url: server.url,
      connectionName: name,
      keyPrefix: `${name}:`,
    });
    const address = { host: new URL(server.url).hostname, port: Number(new URL(server.url).port) };
    /** Bumped when a restart starts and when it ends: the data went away in between. */
    let epoch = 0;
    /** While true, failures are expected; `outage` ends SETTLE_MS after the backend serves again. */
    let outage = false;
    let outageEndsAt = 0;
    const unexpectedFailures: string[] = [];
    const contradictions: string[] = [];
    let calls = 0;
    let flushes = 0;
    const done = performance.now() + SOAK_MS;

    const failed = (what: string, error: unknown) => {
      if (!isKVError(error)) {
        unexpectedFailures.push(`${what}: not a KVError: ${String(error)}`);
        return;
      }
      const { code, unhealthy } = error as KVError;
      const expected = (outage || performance.now() < outageEndsAt) && unhealthy;
      if (!expected) unexpectedFailures.push(`${what}: ${code} unhealthy=${unhealthy}`);
    };

    const worker = async (w: number) => {
      const slot = `s${w}`;
      const counter = `n${w}`;
      let known: string | null | undefined; // undefined: unknown, read it again
      let count: number | undefined;
      for (let i = 0; performance.now() < done; i++) {
        const startedIn = epoch;
        calls += 1;
        try {
          if (known === undefined) {
            known = await kv.get(slot);
          } else {
            const next = `v${i}`;
            const swapped = await kv.checkAndSet(slot, known, next);
            if (epoch === startedIn && !swapped)
              contradictions.push(`${slot}: CAS from ${known} refused`);
            known = swapped ? next : undefined;
          }
          const { value } = await kv.increment(counter);
          if (epoch === startedIn && count !== undefined && value !== count + 1) {
            contradictions.push(`${counter}: ${value} after ${count}`);
          }
          count = value;
          if (epoch !== startedIn) known = count = undefined;
        } catch (error) {
          failed(`worker ${w}`, error);
          known = count = undefined;
        }
      }
    };

    const flusher = async () => {
      while (performance.now() < done) {
        await new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS));
        if (outage) continue;
        await withAdmin(address, (admin) => admin.script('FLUSH')).then(
          () => {
            flushes += 1;
          },
          () => undefined, // the server is restarting
        );
      }
    };

    const restarter = async () => {
      const started = performance.now();
      for (const at of RESTART_AT_MS) {
        await new Promise((resolve) => setTimeout(resolve, started + at - performance.now()));
        outage = true;
        epoch += 1;
        await server.controls.shutdown();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await server.controls.restart();
        epoch += 1;
        // Wait until the backend serves again, then allow stragglers a moment.
        while (
          !(await kv.ping().then(
            () => true,
            () => false,
          ))
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        outageEndsAt = performance.now() + SETTLE_MS;
        outage = false;
      }
    };

    try {
      await Promise.all([
        ...Array.from({ length: WORKERS }, (_, w) => worker(w)),
        flusher(),
        restarter(),
      ]);
    } finally {
      await kv.close();
    }
    console.log(
      `redis soak: ${calls} rounds, ${flushes} script flushes, ${RESTART_AT_MS.length} restarts`,
    );
    expect(flushes).toBeGreaterThanOrEqual(20);
    expect(contradictions).toEqual([]);
    expect(unexpectedFailures.slice(0, 5)).toEqual([]);
  }, 60_000);
});
