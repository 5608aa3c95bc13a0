import { MemoryBackend } from '../src/memory-backend.js';
import type { MemoryBackendOptions } from '../src/options.js';

/** A MemoryBackend whose internals tests can observe and whose sweep they can step by hand. */
export class InspectableMemoryBackend extends MemoryBackend {
  /** Entries removed by each sweep step so far, in order. */
  readonly sweptPerStep: number[] = [];

  constructor(options: MemoryBackendOptions = {}) {
    // A long interval by default, so only the test's own sweep steps run.
    super({ sweepInterval: 2 ** 31 - 1, ...options });
  }

  get storedCount(): number {
    return this.store.size;
  }

  get indexedCount(): number {
    return this.expiries.size;
  }

  get batchSize(): number {
    return this.sweepBatchSize;
  }

  /** Run one sweep step, as the timer does; true when more may remain. */
  sweepStep(): boolean {
    return this.sweep();
  }

  protected override sweep(): boolean {
    const before = this.store.size;
    const more = super.sweep();
    this.sweptPerStep.push(before - this.store.size);
    return more;
  }
}
