import { describe, expect, it } from 'vitest';
import { createConnectionErrorClassifier } from '../src/classify.js';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('createConnectionErrorClassifier', () => {
  const isConnectionError = createConnectionErrorClassifier();

  it("uses Node's errno codes as structured signals", () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']) {
      expect(isConnectionError(withCode(code)), code).toBe(true);
    }
  });

  it("knows no driver's codes or replies: those come from the adapter's driver test", () => {
    // SQLSTATEs and Redis replies are the Postgres and Redis adapters' knowledge.
    for (const code of ['08006', '57P01', '53300']) {
      expect(isConnectionError(withCode(code)), code).toBe(false);
    }
    expect(isConnectionError(new Error('LOADING Redis is loading'))).toBe(false);
  });

  it('does not flag caller bugs or data errors', () => {
    for (const code of ['23505', '42P01', '22021', 'ERR_INVALID_ARG_TYPE']) {
      expect(isConnectionError(withCode(code)), code).toBe(false);
    }
    expect(isConnectionError(new Error('WRONGTYPE Operation against a key'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });

  it('looks through cause chains and AggregateError members', () => {
    expect(isConnectionError(new Error('wrapped', { cause: withCode('ECONNRESET') }))).toBe(true);
    expect(isConnectionError(new AggregateError([new Error('x'), withCode('ECONNREFUSED')]))).toBe(
      true,
    );
  });

  it('adds caller patterns case-insensitively to the defaults, and a driver test', () => {
    const custom = createConnectionErrorClassifier({
      patterns: ['Proxy Unavailable'],
      isDriverConnectionError: (error) => (error as { code?: string }).code === 'CONNECTION_CLOSED',
    });
    expect(custom(new Error('upstream proxy unavailable'))).toBe(true);
    expect(custom(new Error('Connection refused by peer'))).toBe(true);
    expect(custom(withCode('CONNECTION_CLOSED'))).toBe(true);
    expect(isConnectionError(new Error('upstream proxy unavailable'))).toBe(false);
  });

  it('never classifies a caller abort as unhealthy', () => {
    const abort = Object.assign(new Error('connection reset while aborting'), {
      name: 'AbortError',
    });
    expect(isConnectionError(abort)).toBe(false);
  });

  it("trusts the driver's own test over the AbortError name", () => {
    const ended = Object.assign(new Error('Cluster is ended.'), { name: 'AbortError' });
    const withDriverTest = createConnectionErrorClassifier({
      isDriverConnectionError: (error) => error.message === 'Cluster is ended.',
    });
    expect(withDriverTest(ended)).toBe(true);
    expect(isConnectionError(ended)).toBe(false);
  });
});
