import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InspectableMemoryBackend } from './inspectable-memory-backend.js';

async function eventually(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('memory sweep with a throwing onError', () => {
  it('a throwing onError neither escapes the timer nor stops the sweep; what it threw becomes a warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    let now = 0;
    let clockBroken = false;
    let calls = 0;
    try {
      await using kv = new InspectableMemoryBackend({
        sweepInterval: 5,
        clock: () => {
          if (clockBroken) throw new Error('clock exploded');
          return now;
        },
        onError: () => {
          calls += 1;
          throw new Error('logger exploded');
        },
      });
      await kv.set('k', 'v', { ttl: 10 });
      clockBroken = true;
      await eventually(() => calls >= 2); // reported twice: the sweep went on after a throw
      await eventually(() => warnings.some((w) => String(w).includes('logger exploded')));
      now = 10;
      clockBroken = false;
      await eventually(() => kv.storedCount === 0);
      expect(calls).toBeGreaterThanOrEqual(2);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
