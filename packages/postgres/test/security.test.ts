import { inspect } from 'node:util';
import { isKVError, type KVError } from '@strongbox/core';
import { freePort, startPostgres, type ThrowawayPostgresService } from '@strongbox/test-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, type PostgresBackend } from '../src/index.js';
import { clientSecrets } from '../src/postgres-client.js';

/** The application role's password: characters that need URL encoding, so both forms are checked. */
const PASSWORD = 'S3cr3t p@ss:w/rd%ï';
const FORMS = [PASSWORD, encodeURIComponent(PASSWORD)];

/** Every text a logger or a crash report could show for `error`, cause chain included. */
function everythingShownOf(error: unknown): string {
  const parts = [inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    parts.push(e.message, String(e.stack), JSON.stringify(e), String(e));
  }
  return parts.join('\n');
}

function expectNoPassword(error: unknown, what: string): void {
  expect(isKVError(error), `${what}: ${String(error)}`).toBe(true);
  const shown = everythingShownOf(error);
  for (const form of FORMS) expect(shown, what).not.toContain(form);
}

describe('least privilege and redaction', () => {
  let server: ThrowawayPostgresService;
  let admin: postgres.Sql;
  let appUrl: string;
  let app: PostgresBackend;

  beforeAll(async () => {
    server = await startPostgres({ throwaway: true });
    admin = postgres(server.url, { max: 2, onnotice: () => undefined });
    // The table is created once by its owner; the application role may only use it.
    await admin`CREATE SCHEMA kv`;
    const owner = await createPostgresBackend({
      url: server.url,
      schema: 'kv',
      table: 'store',
      purgeInterval: 0,
    });
    await owner.close();
    await admin.unsafe(`CREATE ROLE kv_app LOGIN PASSWORD '${PASSWORD.replaceAll("'", "''")}'`);
    await admin`GRANT USAGE ON SCHEMA kv TO kv_app`;
    await admin`GRANT SELECT, INSERT, UPDATE, DELETE ON kv.store TO kv_app`;
    const url = new URL(server.url);
    url.username = 'kv_app';
    url.password = encodeURIComponent(PASSWORD);
    appUrl = url.toString();
    app = await createPostgresBackend({
      url: appUrl,
      schema: 'kv',
      table: 'store',
      purgeInterval: 0,
      applicationName: 'kv_app',
    });
  });
  afterAll(async () => {
    await app?.close();
    await admin?.end();
    await server?.stop();
  });

  it('a role with only USAGE and SELECT, INSERT, UPDATE, DELETE works on an existing table', async () => {
    await app.set('k', 'v', { ttl: 60_000 });
    expect(await app.get('k')).toBe('v');
    expect(await app.checkAndSet('k', 'v', 'w', { keepTtl: true })).toBe(true);
    expect(await app.checkAndDelete('k', 'w')).toBe(true);
    await app.set('gone', 'v', { ttl: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await app.purgeExpired()).toBe(1);
    expect(await app.delete('k')).toBe(false);
  });

  it('the same role cannot create a missing table: TABLE_CREATION_FAILED (not unhealthy), no password shown', async () => {
    const error = await createPostgresBackend({ url: appUrl, schema: 'kv', table: 'other' }).catch(
      (e: unknown) => e,
    );
    expectNoPassword(error, 'table creation');
    expect((error as KVError).code).toBe('TABLE_CREATION_FAILED');
    expect((error as KVError).unhealthy).toBe(false);
    expect(((error as KVError).cause as { code?: string }).code).toBe('42501');
  });

  it('no factory error shows the password: bad URL, refused port, wrong password', async () => {
    const port = await freePort();
    const badUrl = appUrl.replace('@127.0.0.1', '@[::1');
    const refused = appUrl.replace(/:\d+\//, `:${port}/`);
    const wrongPassword = new URL(appUrl);
    wrongPassword.password = encodeURIComponent(`${PASSWORD}x`);
    const cases: Array<[string, string, string]> = [
      ['bad url', badUrl, 'INVALID_CONN_STRING'],
      ['refused', refused, 'CONNECTION_FAILED'],
      ['wrong password', wrongPassword.toString(), 'CONNECTION_FAILED'],
    ];
    for (const [what, url, code] of cases) {
      const error = await createPostgresBackend({ url, connectTimeout: 2000 }).catch(
        (e: unknown) => e,
      );
      expectNoPassword(error, what);
      expect((error as KVError).code, what).toBe(code);
    }
  });

  it('no operation error shows the password: denied writes, timeouts, lost connections, purge failures', async () => {
    const purgeErrors: KVError[] = [];
    const backend = await createPostgresBackend({
      url: appUrl,
      schema: 'kv',
      table: 'store',
      purgeInterval: 20,
      onError: (error) => purgeErrors.push(error),
      applicationName: 'kv_victim',
    });
    try {
      await backend.set('x', 'v');
      await admin`REVOKE UPDATE, DELETE ON kv.store FROM kv_app`;
      const stored = 'stored-value-never-in-errors';
      const denied = await backend.set('x', stored).catch((e: unknown) => e);
      expectNoPassword(denied, 'denied write');
      // The driver keeps the statement's parameters on its error; the value travels as hex.
      for (const form of [stored, Buffer.from(stored).toString('hex')]) {
        expect(everythingShownOf(denied), 'denied write').not.toContain(form);
      }
      expect((denied as KVError).code).toBe('SET_FAILED');
      expect((denied as KVError).indeterminate).toBe(false); // rejected by the server: not applied
      await admin`INSERT INTO kv.store VALUES ('dead', '\\x00', clock_timestamp() - interval '1 minute')`;
      await expect.poll(() => purgeErrors.length).toBeGreaterThan(0);
      expectNoPassword(purgeErrors[0], 'background purge');
      await admin`GRANT UPDATE, DELETE ON kv.store TO kv_app`;

      const timedOut = await admin.begin(async (tx) => {
        await tx`LOCK TABLE kv.store IN ACCESS EXCLUSIVE MODE`;
        return backend.get('x', { timeout: 200 }).catch((e: unknown) => e);
      });
      expectNoPassword(timedOut, 'timeout');
      expect((timedOut as KVError).code).toBe('TIMEOUT');

      // Cut the connections and forbid new logins: every call now fails at the server.
      await admin`ALTER ROLE kv_app NOLOGIN`;
      await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kv_victim'`;
      const failures = await Promise.all([
        backend.get('x').catch((e: unknown) => e),
        backend.set('x', 'v').catch((e: unknown) => e),
        backend.ping().catch((e: unknown) => e),
        backend.purgeExpired().catch((e: unknown) => e),
      ]);
      for (const failure of failures) expectNoPassword(failure, 'lost connection');
    } finally {
      await admin`ALTER ROLE kv_app LOGIN`;
      await backend.close();
    }
  });

  it('a password given as a function (porsager calls it at each connect) is scrubbed too', async () => {
    const url = new URL(appUrl);
    url.password = '';
    let asked = 0;
    const sql = postgres(url.toString(), {
      max: 1,
      onnotice: () => undefined,
      pass: () => {
        asked += 1;
        return PASSWORD;
      },
    });
    const secrets = clientSecrets(sql);
    try {
      await sql`SELECT 1`;
      expect(asked).toBe(1);
      // The list the backend scrubs with learns each answer.
      expect(secrets).toEqual(expect.arrayContaining(FORMS));
      expect(clientSecrets(sql)).toBe(secrets); // one list per client, one wrapper
    } finally {
      await sql.end();
    }
  });

  it('redactKeys leaves keys out of driver errors, timeouts and purge failures too', async () => {
    const key = 'secret-key-42';
    const purgeErrors: KVError[] = [];
    const backend = await createPostgresBackend({
      url: appUrl,
      schema: 'kv',
      table: 'store',
      redactKeys: true,
      purgeInterval: 20,
      onError: (error) => purgeErrors.push(error),
    });
    const shown: Array<[string, unknown]> = [];
    try {
      // The server names the failing row, key included, in its error.
      await admin.unsafe(
        `ALTER TABLE kv.store ADD CONSTRAINT no_secret CHECK (key <> '${key}') NOT VALID`,
      );
      shown.push(['check violation', await backend.set(key, 'v').catch((e: unknown) => e)]);
      shown.push([
        'timeout',
        await admin.begin(async (tx) => {
          await tx`LOCK TABLE kv.store IN ACCESS EXCLUSIVE MODE`;
          return backend.get(key, { timeout: 200 }).catch((e: unknown) => e);
        }),
      ]);
      await admin`REVOKE DELETE ON kv.store FROM kv_app`;
      await admin.unsafe(
        `INSERT INTO kv.store VALUES ('${key}-dead', '\\x00', clock_timestamp() - interval '1 minute')`,
      );
      await expect.poll(() => purgeErrors.length).toBeGreaterThan(0);
      shown.push(['purge', purgeErrors[0]]);
    } finally {
      await admin`GRANT DELETE ON kv.store TO kv_app`;
      await admin.unsafe(`DELETE FROM kv.store WHERE starts_with(key, '${key}')`);
      await admin.unsafe('ALTER TABLE kv.store DROP CONSTRAINT IF EXISTS no_secret');
      await backend.close();
    }
    const codes = shown.map(([, error]) => (error as KVError).code);
    expect(codes).toEqual(['SET_FAILED', 'TIMEOUT', 'PURGE_FAILED']);
    for (const [what, error] of shown) {
      expect(isKVError(error), what).toBe(true);
      expect((error as KVError).key, what).toBeUndefined();
      expect(everythingShownOf(error), what).not.toContain(key);
    }
  });

  it('redactKeys leaves keys out of errors', async () => {
    const backend = await createPostgresBackend({
      url: appUrl,
      schema: 'kv',
      table: 'store',
      redactKeys: true,
      purgeInterval: 0,
    });
    await backend.close();
    for (const call of [
      () => backend.get('secret-key'),
      () => backend.set('secret-key', 'v', { ttl: -1 }),
    ]) {
      const error = (await call().catch((e: unknown) => e)) as KVError;
      expect(isKVError(error)).toBe(true);
      expect(error.key).toBeUndefined();
      expect(everythingShownOf(error)).not.toContain('secret-key');
    }
  });
});
