import type { OperationOptions, WriteOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** The options without a signal that is already aborted. */
function dropAborted(options: WriteOptions | undefined): WriteOptions | undefined {
  const signal = options?.signal;
  return signal instanceof AbortSignal && signal.aborted
    ? { ...options, signal: undefined }
    : options;
}

/** Checks the signal only while a call is in flight, so an already-aborted call still runs. */
class PreAbortedSignalIgnoredBackend extends MemoryBackend {
  override get(key: string, options?: OperationOptions): Promise<string | null> {
    return super.get(key, dropAborted(options));
  }

  override set(key: string, value: string, options?: WriteOptions): Promise<void> {
    return super.set(key, value, dropAborted(options));
  }

  override checkAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: WriteOptions,
  ): Promise<boolean> {
    return super.checkAndSet(key, expected, next, dropAborted(options));
  }

  override checkAndDelete(
    key: string,
    expected: string,
    options?: OperationOptions,
  ): Promise<boolean> {
    return super.checkAndDelete(key, expected, dropAborted(options));
  }

  override delete(key: string, options?: OperationOptions): Promise<boolean> {
    return super.delete(key, dropAborted(options));
  }

  override ping(options?: OperationOptions): Promise<void> {
    return super.ping(dropAborted(options));
  }
}

export const preAbortedSignalIgnored: BrokenFixture = {
  name: 'pre-aborted-signal-ignored',
  defect: 'a call whose signal is already aborted runs anyway',
  breaks: ['abort.before'],
  create: async () => new PreAbortedSignalIgnoredBackend(),
};
