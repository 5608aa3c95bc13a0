import { describe, expect, it } from 'vitest';
import { createRedisErrorClassifier } from '../src/redis-errors.js';

describe('createRedisErrorClassifier', () => {
  const isConnectionError = createRedisErrorClassifier([]);

  it('counts the errors ioredis names AbortError as connectivity failures', () => {
    // ioredis rejects commands on an ended Cluster with an error named like a caller's abort.
    const ended = Object.assign(new Error('Cluster is ended.'), { name: 'AbortError' });
    expect(isConnectionError(ended)).toBe(true);
  });

  it('counts the replies of a server that cannot serve right now as connectivity failures', () => {
    for (const reply of [
      'LOADING Redis is loading',
      'MASTERDOWN Link down',
      'CLUSTERDOWN Hash slot not served',
      'TRYAGAIN x',
    ]) {
      const error = Object.assign(new Error(reply), { name: 'ReplyError' });
      expect(isConnectionError(error), reply).toBe(true);
      expect(isConnectionError(new Error('wrapped', { cause: error })), reply).toBe(true);
    }
    expect(isConnectionError(new Error('WRONGTYPE Operation against a key'))).toBe(false);
  });

  it("keeps a caller's abort and Redis' own replies healthy", () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const reply = Object.assign(new Error('ERR wrong number of arguments'), { name: 'ReplyError' });
    expect(isConnectionError(abort)).toBe(false);
    expect(isConnectionError(reply)).toBe(false);
  });

  it('adds the caller patterns', () => {
    const custom = createRedisErrorClassifier(['proxy gave up']);
    expect(custom(new Error('the proxy gave up on the upstream'))).toBe(true);
    expect(isConnectionError(new Error('the proxy gave up on the upstream'))).toBe(false);
  });
});
