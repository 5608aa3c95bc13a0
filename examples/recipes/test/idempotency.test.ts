import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import { type IdempotencyOptions, RunInProgressError, runOnce } from '../src/idempotency.js';
import { fakeClock } from './fake-clock.js';
import { withFaults } from './faults.js';
import { withJitter } from './jitter.js';

const CLAIM_TTL = 10_000;
const RESULT_TTL = 60_000;
const KEY = 'idem:payment-42';

async function setup() {
  const clock = fakeClock();
  const memory = await createMemoryBackend({ clock: clock.now });
  const notStored: Error[] = [];
  const options: IdempotencyOptions = {
    claimTtl: CLAIM_TTL,
    resultTtl: RESULT_TTL,
    pollMs: 2,
    onResultNotStored: (reason) => notStored.push(reason),
  };
  return { clock, memory, options, notStored, [Symbol.asyncDispose]: () => memory.close() };
}

/** A handler that counts its runs and takes a few event-loop turns, like real work. */
function countingHandler(result = 'receipt-1') {
  const handler = async () => {
    handler.runs++;
    await sleep(5);
    return result;
  };
  handler.runs = 0;
  return handler;
}

describe('runOnce (idempotency key)', () => {
  it('runs the handler once for many concurrent duplicates, which all get its result', async () => {
    await using env = await setup();
    const kv = withJitter(env.memory);
    const handler = countingHandler();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => runOnce(kv, KEY, handler, env.options)),
    );
    expect(handler.runs).toBe(1);
    expect(new Set(results)).toEqual(new Set(['receipt-1']));
  });

  it('answers a later duplicate from the stored result until resultTtl passes', async () => {
    await using env = await setup();
    const handler = countingHandler();
    await runOnce(env.memory, KEY, handler, env.options);
    env.clock.advance(RESULT_TTL - 1);
    expect(await runOnce(env.memory, KEY, handler, env.options)).toBe('receipt-1');
    expect(handler.runs).toBe(1);
    env.clock.advance(1);
    await runOnce(env.memory, KEY, handler, env.options);
    expect(handler.runs).toBe(2);
  });

  it('lets a retry run the handler again after it threw', async () => {
    await using env = await setup();
    const failing = async () => {
      throw new Error('card declined');
    };
    await expect(runOnce(env.memory, KEY, failing, env.options)).rejects.toThrow('card declined');
    const handler = countingHandler();
    expect(await runOnce(env.memory, KEY, handler, env.options)).toBe('receipt-1');
    expect(handler.runs).toBe(1);
  });

  it('makes duplicates of a run that died wait, then run the handler once its claim lapses', async () => {
    await using env = await setup();
    const hung = () => new Promise<string>(() => {}); // a process that died mid-run
    void runOnce(env.memory, KEY, hung, env.options);
    await expect(
      runOnce(env.memory, KEY, countingHandler(), { ...env.options, waitMs: 20 }),
    ).rejects.toBeInstanceOf(RunInProgressError);
    env.clock.advance(CLAIM_TTL);
    const handler = countingHandler('receipt-2');
    expect(await runOnce(env.memory, KEY, handler, env.options)).toBe('receipt-2');
    expect(handler.runs).toBe(1);
  });

  it('reports a claim that lapsed while the handler ran (claimTtl too short)', async () => {
    await using env = await setup();
    const slow = async () => {
      env.clock.advance(CLAIM_TTL); // the claim lapses mid-run and a duplicate takes over
      await runOnce(env.memory, KEY, countingHandler('receipt-2'), env.options);
      return 'receipt-1';
    };
    expect(await runOnce(env.memory, KEY, slow, env.options)).toBe('receipt-1');
    expect(env.notStored.map((reason) => reason.message)).toEqual([
      `the claim on "${KEY}" lapsed: raise claimTtl`,
    ]);
  });

  describe('when the backend fails', () => {
    it('fails closed without running the handler while the backend is unavailable', async () => {
      await using env = await setup();
      const { kv, inject } = withFaults(env.memory);
      const handler = countingHandler();
      inject('checkAndSet', 'unhealthy');
      await expect(runOnce(kv, KEY, handler, env.options)).rejects.toMatchObject({
        code: 'CHECK_AND_SET_FAILED',
        unhealthy: true,
      });
      expect(handler.runs).toBe(0);
    });

    it.each(['applied', 'lost'] as const)(
      'runs the handler once when the claim timed out (%s)',
      async (fault) => {
        await using env = await setup();
        const { kv, inject, untriggered } = withFaults(env.memory);
        const handler = countingHandler();
        inject('checkAndSet', fault);
        expect(await runOnce(kv, KEY, handler, env.options)).toBe('receipt-1');
        expect(await runOnce(kv, KEY, handler, env.options)).toBe('receipt-1');
        expect(handler.runs).toBe(1);
        expect(untriggered()).toBe(0);
      },
    );

    it('stores the result when storing it timed out but landed', async () => {
      await using env = await setup();
      const { kv, inject, untriggered } = withFaults(env.memory);
      const handler = countingHandler();
      const storeTimesOut = async () => {
        inject('checkAndSet', 'applied');
        return handler();
      };
      expect(await runOnce(kv, KEY, storeTimesOut, env.options)).toBe('receipt-1');
      expect(untriggered()).toBe(0);
      expect(env.notStored).toEqual([]);
      expect(await runOnce(kv, KEY, handler, env.options)).toBe('receipt-1');
      expect(handler.runs).toBe(1);
    });

    it('returns the result and reports it when the result cannot be stored', async () => {
      await using env = await setup();
      const { kv, inject } = withFaults(env.memory);
      const handler = async () => {
        inject('checkAndSet', 'unhealthy');
        return 'receipt-1';
      };
      expect(await runOnce(kv, KEY, handler, env.options)).toBe('receipt-1');
      expect(env.notStored).toMatchObject([{ code: 'CHECK_AND_SET_FAILED', unhealthy: true }]);
    });
  });
});
