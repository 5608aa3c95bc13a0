import type { CallContext, KVOperation, OperationOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';
import { slowWhenTimed } from './slow-calls.js';

/** The slow backend of `slow-calls.ts`, but the `timeout` option never fires. */
class DeadlineIgnoredBackend extends MemoryBackend {
  protected override run<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    return super.run(op, key, { ...options, timeout: undefined }, slowWhenTimed(options, work));
  }
}

export const deadlineIgnored: BrokenFixture = {
  name: 'deadline-ignored',
  defect: 'the timeout option is ignored: a slow call resolves long after its deadline',
  breaks: ['deadline.timeout'],
  create: async () => new DeadlineIgnoredBackend(),
};
