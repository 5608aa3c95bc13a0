import type { Counter } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/**
 * increment reads the client's wall clock (on the monotonic clock's scale, so the two agree
 * while the wall clock is right), like an adapter that sends `Date.now() + ttl` with its
 * increment; every other operation uses the backend's clock.
 */
class IncrementClientClockBackend extends MemoryBackend {
  #inIncrement = false;

  protected override now(): number {
    if (!this.#inIncrement) return super.now();
    return Date.now() - performance.timeOrigin;
  }

  protected override doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    // The memory increment runs synchronously inside this call.
    this.#inIncrement = true;
    try {
      return super.doIncrement(key, delta, ttl);
    } finally {
      this.#inIncrement = false;
    }
  }
}

export const incrementClientClock: BrokenFixture = {
  name: 'increment-client-clock',
  defect: "increment computes and compares expiry with the client's wall clock (Date.now)",
  breaks: ['clock.backend'],
  create: async () => new IncrementClientClockBackend(),
};
