import { isKVError, type KVError } from '@strongbox/core';
import { expect, it } from 'vitest';
import { freshBackend } from './support/shared-server.js';

it('calls still queued at close reject CLOSED with their own op and key, never sent', async () => {
  // One connection admits two statements; the rest wait in the adapter's queue.
  const { backend, dispose } = await freshBackend({ max: 1, minConnections: 1 });
  try {
    const calls = Array.from({ length: 8 }, (_, i) => backend.get(`queued-${i}`));
    const closing = backend.close();
    const outcomes = await Promise.allSettled(calls);
    await closing;
    const closed = outcomes
      .filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
      .map((outcome) => outcome.reason as KVError);
    expect(closed.length).toBeGreaterThan(0);
    for (const error of closed) {
      expect(isKVError(error, 'CLOSED')).toBe(true);
      expect(error.op).toBe('get');
      expect(error.key).toMatch(/^queued-\d$/);
      expect(error.indeterminate).toBe(false);
    }
    expect(new Set(closed.map((error) => error.key)).size).toBe(closed.length);
  } finally {
    await dispose();
  }
});
