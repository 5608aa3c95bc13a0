import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KVBackend } from '@strongbox/core';
import { claim } from './claim.js';
import { retryIfIndeterminate } from './retry-if-indeterminate.js';

/** Options of {@link runOnce}. */
export interface IdempotencyOptions {
  /** Ms a run may take before a duplicate presumes it dead and runs the handler itself. */
  claimTtl: number;
  /** Ms the stored result keeps answering duplicates. */
  resultTtl: number;
  /** Ms between a duplicate's looks at a run in progress (default 50). */
  pollMs?: number | undefined;
  /** Ms a duplicate waits for a run in progress before {@link RunInProgressError} (default `claimTtl`). */
  waitMs?: number | undefined;
  /** Told when the handler ran but its result could not be stored (default `process.emitWarning`). */
  onResultNotStored?: ((reason: Error) => void) | undefined;
}

/** A duplicate waited `waitMs` for another run of the same key to finish. Retry later. */
export class RunInProgressError extends Error {
  override readonly name = 'RunInProgressError';
  constructor(readonly key: string) {
    super(`another run of ${JSON.stringify(key)} is still in progress`);
  }
}

/** What an idempotency key stores: a run in progress (whose token) or its result. */
type Stored = { state: 'running'; token: string } | { state: 'done'; result: string };

/**
 * Run `handler` once per `key`, however many duplicates arrive at once: the first claims the
 * key, the others wait for its result and return it. If the handler throws, the claim is
 * released so a retry can run it again. Rejects with the KVError, without running the handler,
 * when the backend cannot confirm the claim (fail closed: running unclaimed could run twice).
 */
export async function runOnce(
  kv: KVBackend,
  key: string,
  handler: () => Promise<string>,
  options: IdempotencyOptions,
): Promise<string> {
  const running = JSON.stringify({ state: 'running', token: randomUUID() } satisfies Stored);
  const giveUpAt = performance.now() + (options.waitMs ?? options.claimTtl);
  for (;;) {
    const stored = await claim(kv, key, running, options.claimTtl);
    if (stored === running) return runClaimed(kv, key, running, handler, options);
    if (stored !== null) {
      const record = JSON.parse(stored) as Stored;
      if (record.state === 'done') return record.result;
      if (performance.now() >= giveUpAt) throw new RunInProgressError(key);
      await sleep(options.pollMs ?? 50);
    }
    // Absent (or still running): claim again. Our claim is the same string every time, so a
    // repeat cannot make two claims of ours.
  }
}

async function runClaimed(
  kv: KVBackend,
  key: string,
  running: string,
  handler: () => Promise<string>,
  options: IdempotencyOptions,
): Promise<string> {
  let result: string;
  try {
    result = await handler();
  } catch (error) {
    // Free the key so a retry runs the handler again. The handler's error is the one to
    // report: if this release fails too, the claim simply lapses after claimTtl.
    await kv.checkAndDelete(key, running).catch(() => false);
    throw error;
  }
  const reportNotStored =
    options.onResultNotStored ?? ((reason: Error) => process.emitWarning(reason));
  try {
    const done = JSON.stringify({ state: 'done', result } satisfies Stored);
    // Replacing only our own claim makes the write idempotent; false means an earlier attempt
    // landed (then `done` is stored) or the claim lapsed and a duplicate took the key over.
    const replaced = await retryIfIndeterminate(() =>
      kv.checkAndSet(key, running, done, { ttl: options.resultTtl }),
    );
    if (!replaced && (await kv.get(key)) !== done) {
      reportNotStored(new Error(`the claim on ${JSON.stringify(key)} lapsed: raise claimTtl`));
    }
  } catch (error) {
    reportNotStored(error as Error);
  }
  // The handler has run: its result is this caller's answer even if duplicates cannot see it.
  return result;
}
