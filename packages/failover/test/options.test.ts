import { isKVError } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { createFailoverBackend, type FailoverBackendOptions } from '../src/index.js';

async function rejection(options: unknown): Promise<unknown> {
  return createFailoverBackend(options as FailoverBackendOptions).then(
    () => expect.unreachable('expected INVALID_CONFIG'),
    (error: unknown) => error,
  );
}

describe('createFailoverBackend options', async () => {
  const primary = await createMemoryBackend();
  const fallback = await createMemoryBackend();

  it.each([
    ['no options', undefined],
    ['no fallback', { primary }],
    ['a fallback that is not a backend', { primary, fallback: { get() {} } }],
    ['the same backend twice', { primary, fallback: primary }],
    ['failureThreshold 0', { primary, fallback, failureThreshold: 0 }],
    ['a fractional failureThreshold', { primary, fallback, failureThreshold: 1.5 }],
    ['a negative cooldownMs', { primary, fallback, cooldownMs: -1 }],
    ['a cooldownMs timers cannot hold', { primary, fallback, cooldownMs: 2 ** 31 }],
    ['probeTimeout 0', { primary, fallback, probeTimeout: 0 }],
    ['a non-function onStateChange', { primary, fallback, onStateChange: 'log' }],
    ['a non-boolean closePrimary', { primary, fallback, closePrimary: 1 }],
    ['an unknown option', { primary, fallback, failureTreshold: 3 }],
  ])('rejects %s with INVALID_CONFIG', async (_, options) => {
    const error = await rejection(options);
    expect(isKVError(error, 'INVALID_CONFIG'), String(error)).toBe(true);
    expect((error as { backend: string }).backend).toBe('failover');
  });

  it('starts on the primary, named failover', async () => {
    const kv = await createFailoverBackend({ primary, fallback });
    expect(kv.name).toBe('failover');
    expect(kv.state).toBe('primary');
    await kv.set('k', 'v');
    expect(await primary.get('k')).toBe('v');
    expect(await fallback.get('k')).toBeNull();
  });
});
