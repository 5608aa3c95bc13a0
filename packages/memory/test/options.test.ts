import { isKVError } from '@strongbox/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/create-memory-backend.js';
import { MemoryBackend } from '../src/memory-backend.js';

const rejectionOf = (options: unknown) =>
  createMemoryBackend(options as never).then(
    () => expect.fail('expected createMemoryBackend to reject'),
    (error: unknown) => error,
  );

describe('memory options', () => {
  it.each([
    ['a non-object', 'fast'],
    ['null', null],
    ['an array', []],
    ['an unknown option', { sweepIntervalMs: 10 }],
    ['sweepInterval 0', { sweepInterval: 0 }],
    ['a negative sweepInterval', { sweepInterval: -5 }],
    ['a fractional sweepInterval', { sweepInterval: 1.5 }],
    ['an infinite sweepInterval', { sweepInterval: Number.POSITIVE_INFINITY }],
    ['a sweepInterval beyond the timer limit', { sweepInterval: 2 ** 31 }],
    ['a string sweepInterval', { sweepInterval: '1000' }],
    ['a non-function clock', { clock: 42 }],
    ['a non-function onError', { onError: 'log' }],
  ])('rejects %s with INVALID_CONFIG', async (_what, options) => {
    const error = await rejectionOf(options);
    expect(isKVError(error, 'INVALID_CONFIG')).toBe(true);
    expect(error).toMatchObject({ backend: 'memory', unhealthy: false, indeterminate: false });
  });

  it('accepts no options, explicit undefined ones, and the limits of sweepInterval', async () => {
    for (const options of [
      undefined,
      {},
      { sweepInterval: undefined, clock: undefined, onError: undefined },
      { sweepInterval: 1 },
      { sweepInterval: 2 ** 31 - 1 },
    ]) {
      await using kv = await createMemoryBackend(options);
      expect(kv).toBeInstanceOf(MemoryBackend);
      expect(kv.name).toBe('memory');
      await kv.ping();
    }
  });
});
