import type { WriteOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** Negative TTLs slip past validation and mean "no expiry". */
function clampNegativeTtl(options: WriteOptions | undefined): WriteOptions | undefined {
  const ttl = options?.ttl;
  return Number.isFinite(ttl) && (ttl as number) < 0 ? { ...options, ttl: 0 } : options;
}

class NegativeTtlAcceptedBackend extends MemoryBackend {
  override set(key: string, value: string, options?: WriteOptions): Promise<void> {
    return super.set(key, value, clampNegativeTtl(options));
  }

  override checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: WriteOptions,
  ): Promise<boolean> {
    return super.checkAndSet(key, expected, next, clampNegativeTtl(options));
  }
}

export const negativeTtlAccepted: BrokenFixture = {
  name: 'negative-ttl-accepted',
  defect: 'a negative ttl is accepted as "no expiry" instead of rejected',
  breaks: ['validate.ttl.negative'],
  create: async () => new NegativeTtlAcceptedBackend(),
};
