import { inspect } from 'node:util';
import { isKVError } from '@strongbox/core';
import { startRedis, type ThrowawayRedisService } from '@strongbox/test-services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { closeAfterTest } from './helpers/backends.js';
import { withAdmin } from './helpers/connections.js';

const PASSWORD = 'pw-Zq7-never-in-errors';
const STORED = 'stored-value-never-in-errors';

let server: ThrowawayRedisService;
let address: { host: string; port: number };

beforeAll(async () => {
  server = await startRedis({ throwaway: true });
  address = { host: server.controls.host, port: server.controls.port };
  await withAdmin(address, (admin) => admin.config('SET', 'requirepass', PASSWORD));
});

afterAll(async () => {
  await server?.stop();
});

function urlWith(password: string): string {
  return `redis://:${encodeURIComponent(password)}@${address.host}:${address.port}`;
}

/** Every rendering of an error a log could contain: message, stack, inspect, causes, JSON. */
function renderings(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 10, showHidden: true })];
  for (let e = error as Error | undefined, i = 0; e !== undefined && i < 10; i++) {
    parts.push(e.message, e.stack ?? '', JSON.stringify(e));
    e = e.cause as Error | undefined;
  }
  return parts.join('\n');
}

async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

/** The KVError must keep no driver field that echoes command arguments. */
function expectSanitized(error: unknown, secrets: string[]): void {
  expect(isKVError(error), String(error)).toBe(true);
  expect((error as { cause?: { command?: unknown } }).cause?.command).toBeUndefined();
  const text = renderings(error);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('errors never contain a password or a stored value', () => {
  it('a wrong password (AUTH fails): CONNECTION_FAILED without the password', async () => {
    const wrong = 'wrong-pw-Zq7-never-in-errors';
    const error = await rejectionOf(createRedisBackend({ url: urlWith(wrong) }));
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', unhealthy: true });
    expect(renderings(error)).toMatch(/WRONGPASS/);
    expectSanitized(error, [wrong]);
  });

  it("a caller's client with a wrong password: the same", async () => {
    const wrong = 'wrong-caller-pw-Zq7-never-in-errors';
    const client = new Redis({ ...address, password: wrong, lazyConnect: true });
    onTestFinished(() => client.disconnect());
    const error = await rejectionOf(createRedisBackend({ client }));
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', unhealthy: true });
    expectSanitized(error, [wrong]);
  });

  it('write failures whose driver errors carry the arguments (OOM): no value and no password', async () => {
    const kv = closeAfterTest(
      await createRedisBackend({ url: urlWith(PASSWORD), keyPrefix: 'oom:' }),
    );
    await kv.set('k', STORED);
    const admin = new Redis({ ...address, password: PASSWORD });
    onTestFinished(async () => {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    });
    await admin.config('SET', 'maxmemory', '1');

    const failures = [
      await rejectionOf(kv.set('k', `${STORED}-next`)),
      await rejectionOf(kv.checkAndSet('k', STORED, `${STORED}-next`)),
      await rejectionOf(kv.checkAndSet('fresh', null, `${STORED}-next`)),
    ];
    for (const error of failures) {
      expect(renderings(error)).toMatch(/OOM/);
      expect((error as { unhealthy: boolean }).unhealthy).toBe(false);
      // An error reply means the command did not run: the scripts write only as their last step.
      expect((error as { indeterminate: boolean }).indeterminate).toBe(false);
      expectSanitized(error, [STORED, PASSWORD]);
    }
  });
});
