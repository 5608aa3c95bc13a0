import { type AddressInfo, connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';
import { holdRowLock } from './support/row-lock.js';
import { dropTable, sharedUrl, uniqueTable } from './support/shared-server.js';

type Client = postgres.Sql<Record<string, never>>;

/** A caller's client whose pool-level statements and reservations are counted. */
function countedClient(max: number) {
  const sql = postgres(sharedUrl(), { max, onnotice: () => undefined }) as unknown as Client;
  const counts = { poolStatements: 0, reservations: 0 };
  const unsafe = sql.unsafe.bind(sql);
  const reserve = sql.reserve.bind(sql);
  Object.assign(sql, {
    unsafe: (...args: Parameters<Client['unsafe']>) => {
      counts.poolStatements += 1;
      return unsafe(...args);
    },
    reserve: () => {
      counts.reservations += 1;
      return reserve();
    },
  });
  return { sql, counts };
}

describe('statements on reserved connections', () => {
  it("one call at a time reuses one reserved connection and never goes through the pool's dispatch", async () => {
    // porsager's pool slows down call by call while it keeps idle connections (three here,
    // after the warm-up), so the adapter must not hand it each call.
    const { sql, counts } = countedClient(4);
    const backend = await createPostgresBackend({
      sql,
      table: uniqueTable('lanes'),
      purgeInterval: 0,
    });
    try {
      await Promise.all([sql`SELECT 1`, sql`SELECT 2`, sql`SELECT 3`]);
      counts.poolStatements = 0;
      for (let i = 0; i < 100; i++) {
        await backend.set(`k${i % 5}`, `v${i}`);
        expect(await backend.get(`k${i % 5}`)).toBe(`v${i}`);
        await backend.checkAndSet(`k${i % 5}`, `v${i}`, `w${i}`);
      }
      // The one pool statement opened the connection that was then reserved.
      expect(counts.reservations).toBe(1);
      expect(counts.poolStatements).toBe(1);
    } finally {
      await backend.close();
      await dropTable(backend.table);
      await sql.end();
    }
  });

  it('your own queries on sql find a connection while the backend is saturated', async () => {
    const { sql, counts } = countedClient(3);
    const backend = await createPostgresBackend({
      sql,
      table: uniqueTable('lanes'),
      purgeInterval: 0,
    });
    let saturating = true;
    const worker = async (id: number) => {
      while (saturating) await backend.set(`w${id}`, String(Date.now()));
    };
    try {
      const workers = Array.from({ length: 32 }, (_, id) => worker(id));
      await sleep(200);
      // With every connection held by the backend, this would wait until the load stops,
      // which is never: the load stops only once it answers.
      const [row] = await sql`SELECT 42 AS answer`;
      saturating = false;
      await Promise.all(workers);
      expect(row?.answer).toBe(42);
      expect(counts.reservations).toBe(2); // max 3: all but one connection
    } finally {
      saturating = false;
      await backend.close();
      await dropTable(backend.table);
      await sql.end();
    }
  });

  it('a connection the server closes while its lane is idle is replaced, not written to', async () => {
    const applicationName = uniqueTable('lanes_app');
    const backend = await createPostgresBackend({
      url: sharedUrl(),
      table: uniqueTable('lanes'),
      purgeInterval: 0,
      applicationName,
    });
    const admin = postgres(sharedUrl(), { max: 1, onnotice: () => undefined });
    try {
      await backend.set('k', 'before');
      const terminated = await admin`SELECT pg_terminate_backend(pid) AS done
        FROM pg_stat_activity WHERE application_name = ${applicationName}`;
      expect(terminated.length).toBeGreaterThan(0);
      await sleep(300); // the client sees its connections close
      // A statement written to the closed connection would throw outside any promise.
      expect(await backend.get('k')).toBe('before');
      await backend.set('k', 'after');
      expect(await backend.get('k')).toBe('after');
    } finally {
      await backend.close();
      await dropTable(backend.table);
      await admin.end();
    }
  });

  it('close() waits to hand back a connection until the statements porsager holds for it settle', async () => {
    // A statement's first use on a connection is described first, which marks the connection
    // full: porsager then holds the next one back in the reservation's own queue, and handing
    // the connection back at that moment would lose it.
    const sql = postgres(sharedUrl(), { max: 2, onnotice: () => undefined });
    const backend = await createPostgresBackend({
      sql,
      table: uniqueTable('lanes'),
      purgeInterval: 0,
      operationTimeout: 60_000,
    });
    try {
      await backend.set('k', 'v'); // opens the one lane
      const releaseLock = await holdRowLock(sql, backend.table, 'k');
      const blocked = backend.delete('k'); // first delete on the lane: waits for the row lock
      const heldBack = backend.set('k2', 'x');
      await sleep(100);
      await backend.close();
      await releaseLock();
      expect(await blocked).toBe(true);
      await heldBack;
      const rows = await sql.unsafe(`SELECT 1 FROM ${backend.table} WHERE key = 'k2'`);
      expect(rows).toHaveLength(1);
    } finally {
      await dropTable(backend.table);
      await sql.end();
    }
  });

  it('a cancel request that cannot connect is ignored, not an unhandled rejection', async () => {
    // The server accepts no new connection (a proxy that stopped listening) while a statement
    // waits on a row lock past its deadline: porsager's cancel request fails.
    const target = new URL(sharedUrl());
    const proxy = createServer((client) => {
      const server = connect(Number(target.port), target.hostname);
      client.pipe(server).pipe(client);
      client.on('error', () => undefined);
      server.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(sharedUrl());
    proxied.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const backend = await createPostgresBackend({
      url: proxied.toString(),
      table: uniqueTable('lanes'),
      purgeInterval: 0,
    });
    const admin = postgres(sharedUrl(), { max: 1, onnotice: () => undefined });
    try {
      await backend.set('k', 'v');
      const releaseLock = await holdRowLock(admin, backend.table, 'k');
      proxy.close(); // open connections stay; new ones are refused
      await expect(backend.set('k', 'w', { timeout: 300 })).rejects.toMatchObject({
        code: 'TIMEOUT',
      });
      await sleep(300); // the failed cancel request settles; vitest fails on an unhandled one
      await releaseLock();
    } finally {
      await backend.close();
      await dropTable(backend.table);
      await admin.end();
    }
  });
});
