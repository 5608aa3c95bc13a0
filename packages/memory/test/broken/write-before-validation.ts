import type { WriteOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** set stores a number's string form before validation rejects the call. */
class WriteBeforeValidationBackend extends MemoryBackend {
  override set(key: string, value: string, options?: WriteOptions): Promise<void> {
    if (typeof key === 'string' && typeof value === 'number') {
      const now = this.now();
      this.write(key, String(value), Number.POSITIVE_INFINITY, this.liveEntry(key, now));
    }
    return super.set(key, value, options);
  }
}

export const writeBeforeValidation: BrokenFixture = {
  name: 'write-before-validation',
  defect: 'set with a number value rejects INVALID_VALUE but has already stored it',
  breaks: ['validate.value.type'],
  create: async () => new WriteBeforeValidationBackend(),
};
