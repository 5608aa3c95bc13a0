import { describe, expect, it } from 'vitest';
import { KVBackendBase } from '../src/backend-base.js';
import { briefReason } from '../src/brief-reason.js';
import { isKVError, type KVError } from '../src/errors.js';
import { sanitizeError } from '../src/sanitize.js';

/** A backend whose ping throws what the test gives it; the other operations are never called. */
class FailingPingBackend extends KVBackendBase {
  constructor(
    private readonly thrown: unknown,
    secrets: string[] = [],
  ) {
    super({ name: 'jsonfile', secrets });
  }
  protected doPing(): Promise<void> {
    return Promise.reject(this.thrown);
  }
  protected doGet(): Promise<string | null> {
    throw new Error('not called');
  }
  protected doSet(): Promise<void> {
    throw new Error('not called');
  }
  protected doCheckAndSet(): Promise<boolean> {
    throw new Error('not called');
  }
  protected doCheckAndDelete(): Promise<boolean> {
    throw new Error('not called');
  }
  protected doDelete(): Promise<boolean> {
    throw new Error('not called');
  }
  protected async doClose(): Promise<void> {}
}

async function pingError(thrown: unknown, secrets?: string[]): Promise<KVError> {
  const error = await new FailingPingBackend(thrown, secrets).ping().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isKVError(error)) throw new Error(`expected a KVError, got ${String(error)}`);
  return error;
}

function errnoError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('PING_FAILED says why', () => {
  it("puts the cause's first line into the message", async () => {
    const error = await pingError(
      errnoError("EACCES: permission denied, open '/data/store.json'\nmore", 'EACCES'),
    );
    expect(error.code).toBe('PING_FAILED');
    expect(error.unhealthy).toBe(true);
    expect(error.message).toBe(
      "PING_FAILED in jsonfile.ping: EACCES: permission denied, open '/data/store.json'",
    );
  });

  it('never shows a password: the reason comes from the sanitized cause', async () => {
    const error = await pingError(
      new Error('could not reach redis://admin:hunter2@cache:6379 (secret s3cr3t-token)'),
      ['s3cr3t-token'],
    );
    expect(error.message).toBe(
      'PING_FAILED in jsonfile.ping: could not reach redis://admin:***@cache:6379 (secret ***)',
    );
    expect(error.message).not.toContain('hunter2');
  });

  it("uses the code when the message is empty, then an aggregate's first error", async () => {
    // Node's connect() rejects with an AggregateError whose own message is empty.
    const refused = Object.assign(
      new AggregateError([errnoError('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED')], ''),
      { code: 'ECONNREFUSED' },
    );
    expect((await pingError(refused)).message).toBe('PING_FAILED in jsonfile.ping: ECONNREFUSED');
    const bare = new AggregateError(
      [errnoError('connect ECONNREFUSED ::1:6379', 'ECONNREFUSED')],
      '',
    );
    expect((await pingError(bare)).message).toBe(
      'PING_FAILED in jsonfile.ping: connect ECONNREFUSED ::1:6379',
    );
  });

  it('says what was thrown when it was not an error, without echoing it', async () => {
    const error = await pingError('value-that-must-not-show');
    expect(error.message).toBe('PING_FAILED in jsonfile.ping: non-error value thrown (string)');
  });
});

describe('briefReason', () => {
  it('cuts a long reason to 120 characters', () => {
    const reason = briefReason(sanitizeError(new Error('x'.repeat(500))));
    expect(reason).toBe(`${'x'.repeat(120)}…`);
  });

  it("falls back to the cause's reason and is undefined when nothing says anything", () => {
    const wrapped = new Error('', { cause: errnoError('disk I/O error', 'EIO') });
    expect(briefReason(sanitizeError(wrapped))).toBe('disk I/O error');
    expect(briefReason(sanitizeError(new Error('')))).toBeUndefined();
  });
});
