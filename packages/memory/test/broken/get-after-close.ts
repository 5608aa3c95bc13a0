import type { OperationOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** get keeps answering after close instead of rejecting CLOSED. */
class GetAfterCloseBackend extends MemoryBackend {
  override get(key: string, options?: OperationOptions): Promise<string | null> {
    return this.closed ? this.doGet(key) : super.get(key, options);
  }
}

export const getAfterClose: BrokenFixture = {
  name: 'get-after-close',
  defect: 'get on a closed backend resolves instead of rejecting CLOSED',
  breaks: ['close.after', 'close.dispose', 'precedence.closed'],
  create: async () => new GetAfterCloseBackend(),
};
