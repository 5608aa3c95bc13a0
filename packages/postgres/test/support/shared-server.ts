import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import {
  createPostgresBackend,
  type PostgresBackend,
  type PostgresBackendOptions,
} from '../../src/index.js';

/** URL of the shared test server (see `global-setup.ts`). */
export function sharedUrl(): string {
  return inject('postgresUrl');
}

/** A table name no other test uses. */
export function uniqueTable(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A plain client for arranging and inspecting the database behind the adapter's back. */
export function adminClient(url = sharedUrl()): postgres.Sql {
  return postgres(url, { max: 4, onnotice: () => undefined, fetch_types: false });
}

/**
 * A backend on its own fresh table of the shared server, with the background purge off.
 * Call `dispose` (it closes the backend and drops the table).
 */
export async function freshBackend(
  options: Partial<PostgresBackendOptions> = {},
): Promise<{ backend: PostgresBackend; dispose: () => Promise<void> }> {
  const backend = await createPostgresBackend({
    url: sharedUrl(),
    table: uniqueTable(),
    purgeInterval: 0,
    ...options,
  } as PostgresBackendOptions);
  return {
    backend,
    dispose: async () => {
      await backend.close();
      await dropTable(backend.table);
    },
  };
}

/** Drop a (quoted, qualified) table with its index, if it exists. */
export async function dropTable(table: string, url = sharedUrl()): Promise<void> {
  const sql = adminClient(url);
  try {
    await sql.unsafe(`DROP TABLE IF EXISTS ${table}`);
  } finally {
    await sql.end();
  }
}
