import { isKVError } from '../../errors.js';
import type { KnownStep } from './history.js';
import { Backoff, type Breather, shuffleTurns } from './pacing.js';
import type { Prng } from './prng.js';
import type { RecordingClient } from './recorder.js';

/** Deltas of increments: mostly 1, as a limiter counts hits, with some larger, zero and negative. */
const DELTAS = [1, 1, 1, 1, 2, 3, 0, -1];

/**
 * One client of the `counter` mix on hot keys: increments (45 %), `update` adding to the
 * counter (15 %) or reading it (8 %), reads (20 %), sets of a fresh counter value (6 %),
 * deletes (4 %), and now and then (2 %) an `update` appending a letter, which leaves a value
 * that is no counter until a set or delete: increments then answer `NOT_A_COUNTER`.
 */
export async function runCounterClient(
  client: RecordingClient,
  keys: readonly string[],
  prng: Prng,
  claim: () => boolean,
  breather: Breather,
): Promise<void> {
  const backoff = new Backoff(breather);
  while (claim()) {
    await breather.pause();
    const key = keys[prng.below(keys.length)] as string;
    try {
      await runCounterOp(client, key, prng);
      backoff.succeeded();
    } catch (error) {
      // Refusals are answers the recorder kept; anything else is a rejection to back off from.
      if (!isKVError(error, 'NOT_A_COUNTER') && !isKVError(error, 'COUNTER_OVERFLOW')) {
        await backoff.failed();
      }
    }
    await shuffleTurns(prng);
  }
}

function runCounterOp(client: RecordingClient, key: string, prng: Prng): Promise<unknown> {
  const roll = prng.next();
  if (roll < 0.45) return client.increment(key, DELTAS[prng.below(DELTAS.length)] as number);
  if (roll < 0.6) return client.update(key, { kind: 'add', delta: 1 + prng.below(3) });
  if (roll < 0.68) return client.update(key, { kind: 'read' });
  if (roll < 0.88) return client.get(key);
  if (roll < 0.94) return client.set(key, String(prng.below(1000)));
  if (roll < 0.98) return client.delete(key);
  const append: KnownStep = { kind: 'append', text: 'x' };
  return client.update(key, append);
}
