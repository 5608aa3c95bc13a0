import { isKVError } from '@strongbox/core';
import { createMemoryBackend, type MemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { createFailoverBackend } from '../src/index.js';

async function pair(): Promise<{ primary: MemoryBackend; fallback: MemoryBackend }> {
  return { primary: await createMemoryBackend(), fallback: await createMemoryBackend() };
}

async function isOpen(backend: MemoryBackend): Promise<boolean> {
  return backend.get('k').then(
    () => true,
    (error) => !isKVError(error, 'CLOSED'),
  );
}

describe('close() closes only the backends it was handed', () => {
  for (const [closePrimary, closeFallback] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`closePrimary: ${closePrimary}, closeFallback: ${closeFallback}`, async () => {
      const { primary, fallback } = await pair();
      const kv = await createFailoverBackend({ primary, fallback, closePrimary, closeFallback });
      await kv.close();
      await kv.close();
      expect(await isOpen(primary)).toBe(!closePrimary);
      expect(await isOpen(fallback)).toBe(!closeFallback);
      const error = await kv.get('k').catch((e: unknown) => e);
      expect(isKVError(error, 'CLOSED')).toBe(true);
      expect((error as { backend: string }).backend).toBe('failover');
      await primary.close();
      await fallback.close();
    });
  }

  it('the default leaves both open', async () => {
    const { primary, fallback } = await pair();
    await (await createFailoverBackend({ primary, fallback })).close();
    expect(await isOpen(primary)).toBe(true);
    expect(await isOpen(fallback)).toBe(true);
  });
});
