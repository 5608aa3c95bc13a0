import type { CallContext, KVOperation, OperationOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** Checks the signal before a call starts but never listens to it while the call runs. */
class InFlightAbortIgnoredBackend extends MemoryBackend {
  protected override run<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    return super.run(op, key, { ...options, signal: undefined }, work);
  }
}

export const inFlightAbortIgnored: BrokenFixture = {
  name: 'in-flight-abort-ignored',
  defect: 'an abort while a call is in flight is ignored: the call resolves normally',
  breaks: ['abort.during'],
  create: async () => new InFlightAbortIgnoredBackend(),
};
