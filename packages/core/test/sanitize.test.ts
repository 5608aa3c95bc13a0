import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KVError } from '../src/errors.js';
import { redactText, sanitizeError } from '../src/sanitize.js';

const PASSWORD = 's3cr3t-Pa55';

describe('redactText', () => {
  it('removes URL passwords, password= pairs, AUTH arguments and named secrets', () => {
    const text = `connect postgres://app:${PASSWORD}@db:5432/x and password=${PASSWORD} AUTH app ${PASSWORD} raw ${PASSWORD}`;
    const out = redactText(text, [PASSWORD]);
    expect(out).not.toContain(PASSWORD);
    expect(out).toContain('postgres://app:***@db:5432/x');
  });

  it('redacts a URL password that contains @ in full (URL parsers split at the last @)', () => {
    const text = 'connect postgres://app:p@ss@w0rd@db:5432/x and redis://:a@b@cache:6379 failed';
    expect(redactText(text)).toBe(
      'connect postgres://app:***@db:5432/x and redis://:***@cache:6379 failed',
    );
  });

  it('redacts a quoted password= value with escaped quotes in full', () => {
    expect(redactText("host=db password='it\\'s s3cret' user=app")).toBe(
      'host=db password=*** user=app',
    );
  });
});

describe('sanitizeError', () => {
  function driverError(): Error {
    const inner = Object.assign(new Error(`ECONNREFUSED redis://:${PASSWORD}@127.0.0.1:1`), {
      code: 'ECONNREFUSED',
      errno: -111,
    });
    const outer = Object.assign(
      new Error(`query failed for postgres://u:${PASSWORD}@h/db`, { cause: inner }),
      {
        code: '08006',
        parameters: ['stored-value-123', PASSWORD],
        query: 'select $1',
        command: { name: 'auth', args: [PASSWORD] },
        detail: 'Key (k)=(stored-value-123)',
      },
    );
    return new AggregateError([outer], `all failed ${PASSWORD}`);
  }

  it('keeps structured fields and drops argument-echoing ones, through causes and aggregates', () => {
    const safe = sanitizeError(driverError(), [PASSWORD]);
    const first = safe.errors?.[0];
    expect(first?.code).toBe('08006');
    expect((first?.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
    expect(first).not.toHaveProperty('parameters');
    expect(first).not.toHaveProperty('command');
    expect(first).not.toHaveProperty('detail');
  });

  it('leaves no password or stored value in message, stack or inspected form', () => {
    const wrapped = new KVError({
      code: 'GET_FAILED',
      backend: 'x',
      cause: sanitizeError(driverError(), [PASSWORD]),
    });
    for (const text of [wrapped.message, String(wrapped.stack), inspect(wrapped, { depth: 10 })]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('stored-value-123');
    }
  });

  it('does not echo non-error values', () => {
    expect(sanitizeError({ password: PASSWORD }).message).not.toContain(PASSWORD);
  });
});
