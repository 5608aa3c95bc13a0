import { KVError } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** A second close rejects instead of resolving. */
class CloseNotIdempotentBackend extends MemoryBackend {
  override close(): Promise<void> {
    if (this.closed) {
      return Promise.reject(new KVError({ code: 'CLOSE_FAILED', backend: this.name, op: 'close' }));
    }
    return super.close();
  }
}

export const closeNotIdempotent: BrokenFixture = {
  name: 'close-not-idempotent',
  defect: 'close on an already-closed backend rejects',
  // Every test that closes its backend itself fails too: the suite's default destroy closes again.
  breaks: [
    'close.idempotent',
    'close.after',
    'close.dispose',
    'precedence.closed',
    'isolation.instances',
  ],
  create: async () => new CloseNotIdempotentBackend(),
};
