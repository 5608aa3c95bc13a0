import type { Counter } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/**
 * increment reports the counter's ttl in seconds, rounded up (like a Redis script that reads
 * `TTL` instead of `PTTL`); the expiry itself is right.
 */
class IncrementTtlInSecondsBackend extends MemoryBackend {
  protected override async doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    const counter = await super.doIncrement(key, delta, ttl);
    return counter.ttl == null ? counter : { ...counter, ttl: Math.ceil(counter.ttl / 1000) };
  }
}

export const incrementTtlInSeconds: BrokenFixture = {
  name: 'increment-ttl-in-seconds',
  defect: 'increment reports the remaining ttl in seconds instead of ms',
  breaks: ['increment.ttl.created', 'increment.ttl.reported'],
  create: async () => new IncrementTtlInSecondsBackend(),
};
