import { MAX_KEY_BYTES, type OperationOptions, type WriteOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** A key within 1024 UTF-16 code units but over 1024 UTF-8 bytes: what this backend lets through. */
function slipsThrough(key: unknown): key is string {
  return (
    typeof key === 'string' && key.length <= MAX_KEY_BYTES && Buffer.byteLength(key) > MAX_KEY_BYTES
  );
}

/** Measures keys in UTF-16 code units instead of UTF-8 bytes, so long multibyte keys are accepted. */
class KeyLengthInCodeUnitsBackend extends MemoryBackend {
  override get(key: string, options?: OperationOptions): Promise<string | null> {
    if (!slipsThrough(key)) return super.get(key, options);
    return this.run('get', key, options, () => this.doGet(key));
  }

  override set(key: string, value: string, options?: WriteOptions): Promise<void> {
    if (!slipsThrough(key)) return super.set(key, value, options);
    return this.run('set', key, options, () => this.doSet(key, value, options?.ttl ?? 0));
  }

  override checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: WriteOptions,
  ): Promise<boolean> {
    if (!slipsThrough(key)) return super.checkAndSet(key, expected, next, options);
    return this.run('checkAndSet', key, options, () =>
      this.doCheckAndSet(key, expected, next, options?.ttl ?? 0),
    );
  }

  override checkAndDelete(
    key: string,
    expected: string,
    options?: OperationOptions,
  ): Promise<boolean> {
    if (!slipsThrough(key)) return super.checkAndDelete(key, expected, options);
    return this.run('checkAndDelete', key, options, () => this.doCheckAndDelete(key, expected));
  }

  override delete(key: string, options?: OperationOptions): Promise<boolean> {
    if (!slipsThrough(key)) return super.delete(key, options);
    return this.run('delete', key, options, () => this.doDelete(key));
  }
}

export const keyLengthInCodeUnits: BrokenFixture = {
  name: 'key-length-in-code-units',
  defect: 'key length is measured in UTF-16 code units, so a 1025-byte multibyte key is accepted',
  breaks: ['validate.key.length'],
  create: async () => new KeyLengthInCodeUnitsBackend(),
};
