import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { describe, it } from 'vitest';
import { createPostgresBackend } from '../src/index.js';
import { adminClient, dropTable, sharedUrl, uniqueTable } from './support/shared-server.js';

/** Each backend gets its own table and an `application_name` that names only its connections. */
const applicationNames = new WeakMap<object, string>();

describeConformance({
  name: '@strongbox/postgres',
  // A native increment always reports the counter's remaining ttl.
  requireCounterTtl: true,
  create: async () => {
    const applicationName = uniqueTable('strongbox_conformance');
    const backend = await createPostgresBackend({
      url: sharedUrl(),
      table: uniqueTable('conformance'),
      purgeInterval: 0,
      applicationName,
    });
    applicationNames.set(backend, applicationName);
    return backend;
  },
  destroy: async (backend) => {
    await backend.close();
    await dropTable(backend.table);
  },
  runner: { describe, it: (name, fn) => it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS) },
  faults: {
    dropConnections: async (backend) => {
      const sql = adminClient();
      try {
        const terminated = await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = ${applicationNames.get(backend) ?? '?'}`;
        return terminated.length;
      } finally {
        await sql.end();
      }
    },
  },
});
