import { isKVError } from '@strongbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { connectionLost, createPostgresErrorClassifier } from '../src/postgres-errors.js';
import { adminClient, freshBackend, uniqueTable } from './support/shared-server.js';

/**
 * PostgreSQL reports some class-08 errors at severity ERROR on a session that goes on (08P01
 * for a bind message with the wrong number of parameters, e.g. behind PgBouncer). They say the
 * server is unwell, not that the connection is gone: the lane must stay in use.
 */
describe('a class-08 ERROR on a session that goes on', () => {
  let backend: PostgresBackend;
  let dispose: () => Promise<void>;
  const admin = adminClient();
  const poison = `${uniqueTable('poison')}_fn`;

  beforeAll(async () => {
    // Two connections: one lane. A lane wrongly taken for lost would never come back.
    ({ backend, dispose } = await freshBackend({
      max: 2,
      minConnections: 1,
      operationTimeout: 2000,
    }));
    const table = backend.table;
    await admin.unsafe(`
      CREATE FUNCTION ${poison}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.key = 'poison' THEN
          RAISE EXCEPTION 'protocol violation on purpose' USING ERRCODE = '08P01';
        END IF;
        RETURN NEW;
      END $$`);
    await admin.unsafe(
      `CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${poison}()`,
    );
  });
  afterAll(async () => {
    await dispose();
    await admin.unsafe(`DROP FUNCTION IF EXISTS ${poison}()`);
    await admin.end();
  });

  it('is unhealthy for the caller, and leaves the lane serving the next calls', async () => {
    for (let round = 0; round < 4; round++) {
      const failure = await backend.set('poison', 'x').catch((error: unknown) => error);
      expect(isKVError(failure, 'SET_FAILED')).toBe(true);
      expect((failure as { unhealthy?: boolean }).unhealthy).toBe(true);
      await backend.set(`ok${round}`, 'v');
      expect(await backend.get(`ok${round}`)).toBe('v');
    }
  });

  it('is classified unhealthy but not a lost connection', () => {
    const error = Object.assign(new Error('bind message supplies 1 parameters'), {
      code: '08P01',
      severity: 'ERROR',
    });
    expect(createPostgresErrorClassifier([])(error)).toBe(true);
    expect(connectionLost(error)).toBe(false);
    expect(connectionLost(Object.assign(error, { severity: 'FATAL' }))).toBe(true);
  });
});
