import { sanitizeError } from '@strongbox/core';
import { describe, expect, it } from 'vitest';
import {
  createPostgresErrorClassifier,
  mayHaveBeenApplied,
  POSTGRES_SAFE_ERROR_FIELDS,
} from '../src/postgres-errors.js';

/** An error shaped like porsager's PostgresError. */
function serverError(code: string, severity = 'ERROR', message = 'boom'): Error {
  return Object.assign(new Error(message), { code, severity });
}

describe('createPostgresErrorClassifier', () => {
  const isConnectionError = createPostgresErrorClassifier([]);

  it('counts SQLSTATE class 08 and a server going away or full as connectivity failures', () => {
    for (const code of ['08006', '08001', '57P01', '57P02', '57P03', '53300']) {
      expect(isConnectionError(serverError(code, 'FATAL')), code).toBe(true);
      expect(isConnectionError(new Error('wrapped', { cause: serverError(code) })), code).toBe(
        true,
      );
    }
  });

  it("counts porsager's lost-connection codes and the server's messages without a SQLSTATE", () => {
    expect(isConnectionError(serverError('CONNECTION_CLOSED'))).toBe(true);
    expect(isConnectionError(new Error('FATAL: sorry, too many clients already'))).toBe(true);
    expect(
      isConnectionError(new Error('terminating connection due to administrator command')),
    ).toBe(true);
  });

  it('does not flag caller bugs or data errors, and adds the caller patterns', () => {
    for (const code of ['23505', '42P01', '22021', '57014']) {
      expect(isConnectionError(serverError(code)), code).toBe(false);
    }
    expect(
      createPostgresErrorClassifier(['pgbouncer gave up'])(new Error('pgbouncer gave up')),
    ).toBe(true);
    expect(isConnectionError(new Error('pgbouncer gave up'))).toBe(false);
  });
});

describe('mayHaveBeenApplied', () => {
  it('is false for a statement refused before it ran or answered with an ERROR', () => {
    expect(mayHaveBeenApplied(serverError('23505'))).toBe(false);
    expect(mayHaveBeenApplied(serverError('28P01', 'FATAL'))).toBe(false);
    expect(mayHaveBeenApplied(serverError('57P01', 'FATAL'))).toBe(true);
  });
});

describe('POSTGRES_SAFE_ERROR_FIELDS', () => {
  it("keep the server's description of a failure and leave its data behind", () => {
    const error = Object.assign(serverError('23505'), {
      routine: '_bt_check_unique',
      table_name: 'strongbox_kv',
      constraint_name: 'strongbox_kv_pkey',
      detail: 'Key (key)=(stored-value-123) already exists.',
      parameters: ['stored-value-123'],
    });
    const safe = sanitizeError(error, [], POSTGRES_SAFE_ERROR_FIELDS);
    expect(safe).toMatchObject({
      code: '23505',
      severity: 'ERROR',
      routine: '_bt_check_unique',
      table_name: 'strongbox_kv',
      constraint_name: 'strongbox_kv_pkey',
    });
    expect(safe).not.toHaveProperty('detail');
    expect(safe).not.toHaveProperty('parameters');
    expect(sanitizeError(error)).not.toHaveProperty('severity');
  });
});
