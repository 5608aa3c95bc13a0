import { FAILURE_CODE_BY_OP, isKVError, type KVError, WRITE_OPS } from '@strongbox/core';
import { startPostgres, type ThrowawayPostgresService, waitUntil } from '@strongbox/test-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresBackend,
  type PostgresBackend,
  type PostgresBackendOptions,
} from '../src/index.js';
import { RoundTripProxy } from './support/round-trip-proxy.js';
import { holdRowLock, holdTableLock } from './support/row-lock.js';
import { uniqueTable } from './support/shared-server.js';

/** Slack for a loaded 2-core machine between a deadline passing and the rejection arriving. */
const GRACE_MS = 1500;

type Op = 'get' | 'set' | 'checkAndSet' | 'checkAndDelete' | 'delete' | 'increment' | 'ping';

/** One call of each operation on `key`, with `options`. */
function everyOp(backend: PostgresBackend, key: string, options: { timeout?: number } = {}) {
  const calls: Record<Op, () => Promise<unknown>> = {
    get: () => backend.get(key, options),
    set: () => backend.set(key, 'new', options),
    checkAndSet: () => backend.checkAndSet(key, 'v', 'new', options),
    checkAndDelete: () => backend.checkAndDelete(key, 'v', options),
    delete: () => backend.delete(key, options),
    // A key of its own, so it always holds a counter.
    increment: () => backend.increment(`${key}:n`, 1, options),
    ping: () => backend.ping(options),
  };
  return Object.entries(calls) as Array<[Op, () => Promise<unknown>]>;
}

/** The rejection of `call` and how long it took; fails the test if it resolves. */
async function timedRejection(
  call: () => Promise<unknown>,
): Promise<{ error: KVError; ms: number }> {
  const started = performance.now();
  const error = await call().then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!isKVError(error)) throw error;
  return { error, ms: performance.now() - started };
}

describe('faults on a throwaway server', () => {
  let server: ThrowawayPostgresService;
  let admin: postgres.Sql;
  const backends: PostgresBackend[] = [];

  beforeAll(async () => {
    server = await startPostgres({ throwaway: true });
    admin = postgres(server.url, { max: 2, onnotice: () => undefined });
  });
  afterAll(async () => {
    await Promise.all(backends.map((backend) => backend.close()));
    await admin?.end({ timeout: 1 });
    await server?.stop();
  });

  async function backendFor(
    options: Partial<PostgresBackendOptions> = {},
  ): Promise<PostgresBackend> {
    const backend = await createPostgresBackend({
      url: server.url,
      table: uniqueTable('faults'),
      purgeInterval: 0,
      applicationName: uniqueTable('faults_app'),
      ...options,
    });
    backends.push(backend);
    return backend;
  }

  /** Server process ids of `backend`'s connections. */
  async function serverPids(backend: PostgresBackend): Promise<number[]> {
    const name = backend.sql.options.connection.application_name as string;
    const rows = await admin`SELECT pid FROM pg_stat_activity WHERE application_name = ${name}`;
    return rows.map((row) => row.pid as number);
  }

  /** Wait until `backend` serves reads again (it must recover by itself); the value read. */
  async function recovered(backend: PostgresBackend, key: string): Promise<string | null> {
    let value: string | null = null;
    await waitUntil(
      'the backend to serve again',
      () =>
        backend.get(key, { timeout: 1000 }).then(
          (read) => {
            value = read;
            return true;
          },
          () => false,
        ),
      15_000,
    );
    return value;
  }

  it('connections terminated mid-load: every failure is an unhealthy KVError naming its operation, and the backend recovers', async () => {
    const backend = await backendFor({ max: 4 });
    await backend.set('v', 'v');
    const failures: Array<{ op: Op; error: unknown }> = [];
    let running = true;
    const worker = async (w: number) => {
      while (running) {
        for (const [op, call] of everyOp(backend, `w${w}`)) {
          await call().catch((error: unknown) => failures.push({ op, error }));
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let round = 0; round < 3; round++) {
      await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = ${backend.sql.options.connection.application_name as string}`;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    running = false;
    await Promise.all(workers);
    expect(failures.length).toBeGreaterThan(0);
    for (const { op, error } of failures) {
      expect(isKVError(error), String(error)).toBe(true);
      const { code, unhealthy, indeterminate } = error as KVError;
      expect(code).toBe(FAILURE_CODE_BY_OP[op]);
      expect(unhealthy).toBe(true);
      if (!WRITE_OPS.has(op)) expect(indeterminate).toBe(false);
    }
    expect(await recovered(backend, 'v')).toBe('v');
  });

  it('a refused server: every operation rejects unhealthy, determinate and without waiting for a deadline; then the backend recovers', async () => {
    const backend = await backendFor();
    await backend.set('k', 'v');
    await server.controls.shutdown();
    try {
      for (const [op, call] of everyOp(backend, 'k')) {
        const { error, ms } = await timedRejection(call);
        expect(error.code, op).toBe(FAILURE_CODE_BY_OP[op]);
        expect(error.unhealthy, op).toBe(true);
        expect(error.indeterminate, `${op} was never sent`).toBe(false);
        expect(ms, op).toBeLessThan(5000);
      }
      // Many calls at once while the server is down: each rejects unhealthy within the
      // default 5 s deadline instead of queueing.
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) => timedRejection(() => backend.get(`b${i}`))),
      );
      for (const { error, ms } of burst) {
        expect(error.unhealthy).toBe(true);
        expect(ms).toBeLessThan(5000 + GRACE_MS);
      }
    } finally {
      await server.controls.restart();
    }
    expect(await recovered(backend, 'k')).toBe('v');
  });

  it('a frozen server process (SIGSTOP): calls reject with TIMEOUT at their deadline, writes indeterminate; it recovers after SIGCONT', async () => {
    const backend = await backendFor({ operationTimeout: 500, minConnections: 2, max: 2 });
    await backend.set('k', 'v');
    const pids = await serverPids(backend);
    expect(pids.length).toBe(2);
    for (const pid of pids) await server.controls.pauseProcess(pid);
    try {
      const outcomes = await Promise.all(
        everyOp(backend, 'k').map(async ([op, call]) => ({ op, ...(await timedRejection(call)) })),
      );
      for (const { op, error, ms } of outcomes) {
        expect(error.code, op).toBe('TIMEOUT');
        expect(error.op).toBe(op);
        expect(error.unhealthy).toBe(true);
        expect(error.indeterminate).toBe(WRITE_OPS.has(op));
        expect(ms).toBeGreaterThanOrEqual(499);
        expect(ms).toBeLessThan(500 + GRACE_MS);
      }
    } finally {
      for (const pid of pids) await server.controls.resumeProcess(pid);
    }
    await recovered(backend, 'k'); // the writes that timed out may have landed meanwhile
  });

  it('a row lock held by another session: writes time out indeterminate, reads go on, and the abandoned statements are cancelled', async () => {
    const backend = await backendFor({ operationTimeout: 400 });
    await backend.set('locked', 'v');
    const releaseLock = await holdRowLock(admin, backend.table, 'locked');
    try {
      for (const write of [
        () => backend.set('locked', 'w'),
        () => backend.checkAndSet('locked', 'v', 'w'),
        () => backend.checkAndDelete('locked', 'v'),
        () => backend.delete('locked'),
        () => backend.increment('locked'),
      ]) {
        const { error, ms } = await timedRejection(write);
        expect(error.code).toBe('TIMEOUT');
        expect(error.indeterminate).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(399);
        expect(ms).toBeLessThan(400 + GRACE_MS);
      }
      expect(await backend.get('locked')).toBe('v');
      // The server stops waiting for the lock on behalf of callers that left.
      const name = backend.sql.options.connection.application_name as string;
      await waitUntil('the abandoned statements to be cancelled', async () => {
        const [row] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = ${name} AND wait_event_type = 'Lock'`;
        return row?.n === 0;
      });
    } finally {
      await releaseLock();
    }
    expect(await backend.get('locked')).toBe('v'); // none of the cancelled writes landed
  });

  it('a connection lost mid-increment: INCREMENT_FAILED, unhealthy and indeterminate', async () => {
    const backend = await backendFor({ operationTimeout: 30_000 });
    await backend.set('counter', '5');
    const name = backend.sql.options.connection.application_name as string;
    const releaseLock = await holdRowLock(admin, backend.table, 'counter');
    try {
      const pending = timedRejection(() => backend.increment('counter'));
      await waitUntil('the increment to wait for the row lock', async () => {
        const [row] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = ${name} AND wait_event_type = 'Lock'`;
        return row?.n === 1;
      });
      await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = ${name} AND wait_event_type = 'Lock'`;
      const { error } = await pending;
      expect(error.code).toBe('INCREMENT_FAILED');
      expect(error.op).toBe('increment');
      expect(error.unhealthy).toBe(true);
      expect(error.indeterminate).toBe(true);
    } finally {
      await releaseLock();
    }
    expect(await recovered(backend, 'counter')).toBe('5'); // the terminated session rolled back
  });

  it('a frozen postmaster: a new backend fails CONNECTION_FAILED once connectTimeout passes', async () => {
    const [row] =
      await admin`SELECT split_part(pg_read_file('postmaster.pid'), E'\n', 1)::int AS pid`;
    const postmaster = row?.pid as number;
    await server.controls.pauseProcess(postmaster);
    try {
      const { error, ms } = await timedRejection(() =>
        createPostgresBackend({ url: server.url, connectTimeout: 500, purgeInterval: 0 }),
      );
      expect(error.code).toBe('CONNECTION_FAILED');
      expect(error.unhealthy).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(499);
      expect(ms).toBeLessThan(500 + GRACE_MS);
    } finally {
      await server.controls.resumeProcess(postmaster);
    }
  });

  /**
   * Wait until `backend`'s client has closed all its connections itself (its lanes went back to
   * the pool, and the pool's `idleTimeout` ended them), so the next call must connect. Closed
   * by the client, not the server, so no call can still find a connection the client has not
   * seen close.
   */
  async function allConnectionsIdledOut(backend: PostgresBackend): Promise<void> {
    const name = backend.sql.options.connection.application_name as string;
    await waitUntil('the idle connections to close', async () => {
      const [row] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = ${name}`;
      return row?.n === 0;
    });
  }

  /** Freeze the postmaster (new connections hang, open sessions go on) while `during` runs. */
  async function withFrozenPostmaster(during: () => Promise<void>): Promise<void> {
    const [row] =
      await admin`SELECT split_part(pg_read_file('postmaster.pid'), E'\n', 1)::int AS pid`;
    const postmaster = row?.pid as number;
    await server.controls.pauseProcess(postmaster);
    try {
      await during();
    } finally {
      await server.controls.resumeProcess(postmaster);
    }
  }

  it('no connection can be opened (frozen postmaster): calls fail unhealthy, writes determinate, TIMEOUT at the operation deadline', async () => {
    // connectTimeout above the deadline: the lanes' own bound on an opening answers first.
    const backend = await backendFor({
      operationTimeout: 400,
      connectTimeout: 3000,
      idleTimeout: 200,
    });
    await backend.set('k', 'v');
    await allConnectionsIdledOut(backend);
    await withFrozenPostmaster(async () => {
      // Calls waiting together for the lane that cannot open each meet their deadline.
      const outcomes = await Promise.all(
        everyOp(backend, 'k').map(async ([op, call]) => ({ op, ...(await timedRejection(call)) })),
      );
      for (const { op, error } of outcomes) {
        expect(error.code, op).toBe('TIMEOUT');
        expect(error.unhealthy, op).toBe(true);
      }
      // A call allowed longer than the operation deadline sees the opening itself fail.
      for (const [op, call] of everyOp(backend, 'k', { timeout: 2500 })) {
        const { error } = await timedRejection(call);
        expect(error.code, op).toBe(FAILURE_CODE_BY_OP[op]);
        expect(error.unhealthy, op).toBe(true);
        expect(error.indeterminate, `${op} was never sent`).toBe(false);
      }
    });
    expect(await recovered(backend, 'k')).toBe('v');
  });

  it('a setup step that times out while the server refuses new connections: the factory rejects, nothing is left unhandled', async () => {
    const table = uniqueTable('faults');
    await admin.unsafe(
      `CREATE TABLE ${table} (key text COLLATE "C" PRIMARY KEY, value bytea NOT NULL, expires_at timestamptz)`,
    );
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const proxy = await RoundTripProxy.start(server.controls.host, server.controls.port);
    const viaProxy = new URL(server.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const sql = postgres(viaProxy.href, { max: 1, onnotice: () => undefined });
    const releaseLock = await holdTableLock(admin, table);
    try {
      await sql`SELECT 1`;
      // Creating the expiry index waits for the lock; the cancel request sent when the step
      // times out is refused.
      proxy.refuseNew();
      const { error } = await timedRejection(() =>
        createPostgresBackend({ sql, table, operationTimeout: 300, purgeInterval: 0 }),
      );
      expect(error.code).toBe('TABLE_CREATION_FAILED');
      expect(error.unhealthy).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled.map(String)).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await releaseLock();
      await sql.end({ timeout: 0 });
      await proxy.close();
      await admin.unsafe(`DROP TABLE IF EXISTS ${table}`);
    }
  });

  it('a crash (immediate shutdown): a logged table keeps acknowledged writes, an UNLOGGED table comes back empty', async () => {
    const logged = await backendFor();
    const unlogged = await backendFor({ unlogged: true });
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    await Promise.all(keys.map((key) => logged.set(key, `logged-${key}`)));
    await Promise.all(keys.map((key) => unlogged.set(key, `unlogged-${key}`)));
    await server.controls.crash();
    await server.controls.restart();
    expect(await recovered(logged, 'k0')).toBe('logged-k0');
    expect(await Promise.all(keys.map((key) => logged.get(key)))).toEqual(
      keys.map((key) => `logged-${key}`),
    );
    expect(await recovered(unlogged, 'k0')).toBeNull();
    const [row] = await admin.unsafe(`SELECT count(*)::int AS n FROM ${unlogged.table}`);
    expect(row?.n).toBe(0);
  });
});
