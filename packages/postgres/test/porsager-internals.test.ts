import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isKVError } from '@strongbox/core';
import { waitUntil } from '@strongbox/test-services';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';
import {
  captureConnection,
  type DriverConnection,
  failQuery,
  isRunning,
  maxPipelineOf,
  onConnectionClose,
  poolListOf,
  takeCanceller,
  terminateConnection,
  unsupportedConnection,
  unsupportedDriver,
  VERIFIED_PORSAGER_VERSIONS,
} from '../src/lanes/porsager-internals.js';
import { resolvePostgresOptions } from '../src/options.js';
import { driverOptions } from '../src/postgres-client.js';
import { sharedUrl, uniqueTable } from './support/shared-server.js';

const { from, below } = VERIFIED_PORSAGER_VERSIONS;
const RE_VERIFY = `re-verify every hook in src/lanes/porsager-internals.ts against porsager's source, then move VERIFIED_PORSAGER_VERSIONS (and the peer range in package.json) to match`;

function readPackage(path: string): {
  version: string;
  peerDependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
}

/** `[major, minor, patch]`, or undefined for anything else (a prerelease counts as unverified). */
function parseVersion(version: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match === null ? undefined : match.slice(1).map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

describe('the porsager version', () => {
  it('installed is one the hooks were verified against', () => {
    const installed = readPackage('../node_modules/postgres/package.json').version;
    const parsed = parseVersion(installed);
    const verified =
      parsed !== undefined &&
      compareVersions(parsed, parseVersion(from) as number[]) >= 0 &&
      compareVersions(parsed, parseVersion(below) as number[]) < 0;
    expect(
      verified,
      `postgres ${installed} is installed, but the adapter's porsager hooks were verified for >=${from} <${below}: ${RE_VERIFY}`,
    ).toBe(true);
  });

  it("the package's peer range is the verified range", () => {
    const { peerDependencies } = readPackage('../package.json');
    expect(peerDependencies?.postgres, RE_VERIFY).toBe(`>=${from} <${below}`);
  });
});

type Client = postgres.Sql<Record<string, never>>;
type Reserved = postgres.ReservedSql<Record<string, never>>;

/** A client with the adapter's own driver options (`max_pipeline: 2`, no type fetch, ...). */
function adapterClient(): Client {
  const { client } = resolvePostgresOptions({ url: sharedUrl() });
  return postgres(sharedUrl(), driverOptions(client)) as unknown as Client;
}

/** One session for holding advisory locks and watching the others. */
function adminClient(): postgres.Sql {
  return postgres(sharedUrl(), { max: 1, onnotice: () => undefined });
}

/** Waits for the advisory lock `$1` (released at the statement's end); a prepared statement. */
const LOCK_WAIT = 'SELECT pg_advisory_xact_lock($1::bigint)';

/** A connection reserved from `sql`, captured the way the lanes capture theirs. */
async function reserveCaptured(sql: Client): Promise<{
  reserved: Reserved;
  connection: DriverConnection | undefined;
  pid: number;
}> {
  await sql.unsafe('SELECT 1'); // porsager 3.4.9 cannot reserve a connection it must open
  const reserved = await sql.reserve();
  const capture = captureConnection();
  const [row] = await reserved.unsafe(
    'SELECT pg_backend_pid() AS pid',
    [],
    capture.options as never,
  );
  return { reserved, connection: capture.captured(), pid: row?.pid as number };
}

/** A captured reserved connection, an admin session and an advisory-lock key no other test uses. */
interface Setup {
  sql: Client;
  admin: postgres.Sql;
  key: number;
  reserved: Reserved;
  connection: DriverConnection;
  pid: number;
}

/** Run `test` on a fresh {@link Setup}; both clients are ended after. */
async function onReserved(test: (setup: Setup) => Promise<void>): Promise<void> {
  const sql = adapterClient();
  const admin = adminClient();
  try {
    const { reserved, connection, pid } = await reserveCaptured(sql);
    expect(unsupportedConnection(connection)).toBeUndefined();
    const key = randomInt(1, 2 ** 31);
    await test({ sql, admin, key, reserved, connection: connection as DriverConnection, pid });
  } finally {
    await admin.end();
    await sql.end();
  }
}

/**
 * Send a statement that the server starts but that waits for the advisory lock `key`, which
 * the admin session holds until `unlock()`; resolves once the server shows it waiting.
 */
async function blockedStatement({ admin, key, reserved, pid }: Setup) {
  await admin`SELECT pg_advisory_lock(${key})`;
  const query = reserved.unsafe(LOCK_WAIT, [key], { prepare: true }).execute();
  await waitUntil(`session ${pid} waiting for a lock`, async () => {
    const rows = await admin`SELECT 1 FROM pg_stat_activity
      WHERE pid = ${pid} AND state = 'active' AND wait_event_type = 'Lock'`;
    return rows.length === 1;
  });
  return { query, unlock: () => admin`SELECT pg_advisory_unlock(${key})` };
}

/** Until the server no longer shows session `pid`. */
function untilSessionEnds(admin: postgres.Sql, pid: number): Promise<void> {
  return waitUntil(`session ${pid} to end`, async () => {
    const rows = await admin`SELECT 1 FROM pg_stat_activity WHERE pid = ${pid}`;
    return rows.length === 0;
  });
}

describe('porsager hooks on the installed version (real server)', () => {
  it('max_pipeline: porsager keeps the depth the adapter sets, and its default otherwise', async () => {
    const own = adapterClient();
    const plain = postgres(sharedUrl(), { max: 1 });
    try {
      expect(maxPipelineOf(own)).toBe(2);
      expect(maxPipelineOf(plain)).toBe(100);
    } finally {
      await Promise.all([own.end(), plain.end()]);
    }
  });

  it('onexecute hands over the connection object a reserved statement was written to', () =>
    // onReserved checks the object it handed over.
    onReserved(async ({ reserved }) => reserved.release()));

  it('connection.queue: a reserved connection leaves its list while porsager holds statements back, and comes back once they settle', () =>
    onReserved(async (setup) => {
      const { reserved, connection } = setup;
      const idleList = poolListOf(connection);
      // Its first use on this connection is described first: porsager marks it full.
      const described = await blockedStatement(setup);
      expect(poolListOf(connection)).not.toBe(idleList);
      const heldBack = reserved.unsafe('SELECT 2 AS two').execute();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(isRunning(heldBack)).toBe(false); // not sent: porsager holds it back
      await described.unlock();
      await described.query;
      expect((await heldBack)[0]?.two).toBe(2);
      expect(poolListOf(connection)).toBe(idleList);
      reserved.release();
    }));

  it('query.active: true for the statement the server runs, false for one pipelined behind it and once settled', () =>
    onReserved(async (setup) => {
      const { reserved, connection, key } = setup;
      const idleList = poolListOf(connection);
      await reserved.unsafe(LOCK_WAIT, [key + 1], { prepare: true }); // prepared: no describe
      const running = await blockedStatement(setup);
      const pipelined = reserved.unsafe('SELECT 2 AS two').execute();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(isRunning(running.query)).toBe(true);
      expect(isRunning(pipelined)).toBe(false);
      expect(poolListOf(connection)).toBe(idleList); // one pipelined statement: still not full
      await running.unlock();
      await running.query;
      expect((await pipelined)[0]?.two).toBe(2);
      expect([isRunning(running.query), isRunning(pipelined)]).toEqual([false, false]);
      reserved.release();
    }));

  it('query.canceller: taken once, it has the server cancel the running statement', () =>
    onReserved(async (setup) => {
      const running = await blockedStatement(setup);
      const outcome = running.query.then(
        () => 'completed',
        (error: { code?: unknown }) => error.code,
      );
      const cancel = takeCanceller(running.query);
      expect(cancel).toBeTypeOf('function');
      expect(takeCanceller(running.query)).toBeUndefined(); // and query.cancel() sends none
      await cancel?.();
      expect(await outcome).toBe('57014');
      await running.unlock();
      setup.reserved.release();
    }));

  it('query.reject settles a statement still in flight; a settled one ignores it', () =>
    onReserved(async (setup) => {
      const { reserved } = setup;
      const settled = reserved.unsafe('SELECT 1 AS one');
      expect((await settled)[0]?.one).toBe(1);
      failQuery(settled, new Error('late'));
      expect((await settled)[0]?.one).toBe(1);
      const hanging = await blockedStatement(setup);
      const reason = new Error('left hanging');
      failQuery(hanging.query, reason);
      await expect(hanging.query).rejects.toBe(reason);
      // The server still runs it: the connection serves the next statement once it is done.
      await hanging.unlock();
      expect((await reserved.unsafe('SELECT 3 AS three'))[0]?.three).toBe(3);
      reserved.release();
    }));

  it('connection.onclose: called with the error when the server ends the session', () =>
    onReserved(async ({ admin, connection, pid }) => {
      const closes: unknown[] = [];
      onConnectionClose(connection, (error) => closes.push(error));
      await admin`SELECT pg_terminate_backend(${pid})`;
      await waitUntil('onclose to be called', async () => closes.length > 0);
      expect(closes).toHaveLength(1);
      expect(closes[0]).toBeInstanceOf(Error);
    }));

  it('connection.terminate: the session ends and onclose is called; null stops watching', () =>
    onReserved(async ({ sql, admin, connection, pid }) => {
      const closes: unknown[] = [];
      onConnectionClose(connection, (error) => closes.push(error));
      terminateConnection(connection);
      await untilSessionEnds(admin, pid);
      await waitUntil('onclose to be called', async () => closes.length > 0);
      expect(closes).toHaveLength(1);

      const second = await reserveCaptured(sql);
      const unwatched: unknown[] = [];
      onConnectionClose(second.connection as DriverConnection, (error) => unwatched.push(error));
      onConnectionClose(second.connection as DriverConnection, null);
      await admin`SELECT pg_terminate_backend(${second.pid})`;
      await untilSessionEnds(admin, second.pid);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unwatched).toEqual([]);
    }));
});

describe('an unsupported porsager', () => {
  it('is reported, naming the verified range, when its queries or connections lack the hooks', () => {
    const sql = adapterClient();
    expect(unsupportedDriver(sql)).toBeUndefined(); // the installed one
    void sql.end();
    const range = `postgres >=${from} <${below}`;
    expect(unsupportedDriver({ unsafe: () => ({}) })).toContain(range);
    expect(unsupportedDriver({ unsafe: () => ({ active: false, reject() {} }) })).toContain(
      'no `canceller`',
    );
    expect(unsupportedConnection(undefined)).toContain('`onexecute` was not called');
    const noQueue = { terminate() {} } as unknown as DriverConnection;
    expect(unsupportedConnection(noQueue)).toContain('no `queue`');
  });

  it('makes the factory fail with INVALID_CONFIG before any I/O', async () => {
    const applicationName = uniqueTable('unsupported');
    const sql = postgres(sharedUrl(), {
      max: 2,
      onnotice: () => undefined,
      connection: { application_name: applicationName },
    }) as unknown as Client;
    const unsafe = sql.unsafe.bind(sql);
    Object.assign(sql, {
      // A porsager whose queries have no `active` flag.
      unsafe: (...args: Parameters<Client['unsafe']>) => {
        const query = unsafe(...args);
        delete (query as { active?: unknown }).active;
        return query;
      },
    });
    const admin = adminClient();
    try {
      const failure = await createPostgresBackend({ sql, table: uniqueTable('unsupported') }).catch(
        (error: unknown) => error,
      );
      expect(isKVError(failure) && failure.code).toBe('INVALID_CONFIG');
      expect((failure as Error).message).toMatch(
        /unsupported postgres \(porsager\) version: its queries have no `active` flag/,
      );
      const sessions = await admin`SELECT 1 FROM pg_stat_activity
        WHERE application_name = ${applicationName}`;
      expect(sessions).toHaveLength(0); // the client never connected
    } finally {
      await admin.end();
      await sql.end();
    }
  });
});
