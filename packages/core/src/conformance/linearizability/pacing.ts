import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import type { Prng } from './prng.js';

/** After a rejection a client waits this long, doubling per further rejection, as real clients back off. */
const BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 100;
/** Ops between two chances for timers and I/O to run (see {@link Breather}). */
const BREATHE_EVERY = 32;

/**
 * Lets the event loop run every {@link BREATHE_EVERY} ops. On an in-process backend the
 * clients otherwise run in one long chain of microtasks that starves timers and I/O. All
 * clients wait for the same macrotask, so they resume together and keep interleaving.
 * A rejected client's backoff pauses every client the same way: clients that kept going alone
 * during it would run their ops one at a time, and the run would barely overlap.
 */
export class Breather {
  #ops = 0;
  #pause: Promise<void> | undefined;

  pause(): Promise<void> | undefined {
    if (++this.#ops % BREATHE_EVERY === 0) this.#pauseUntil(nextMacrotask());
    return this.#pause;
  }

  /** Pause every client for at least `ms`; resolves when the pause ends. */
  backOff(ms: number): Promise<void> {
    this.#pauseUntil(sleep(ms));
    return this.#pause as Promise<void>;
  }

  #pauseUntil(end: Promise<unknown>): void {
    const previous = this.#pause;
    const pause: Promise<void> = Promise.all([previous, end]).then(() => {
      if (this.#pause === pause) this.#pause = undefined;
    });
    this.#pause = pause;
  }
}

/** One client's back-off after rejections: 5 ms, doubling up to 100 ms, reset by a success. */
export class Backoff {
  readonly #breather: Breather;
  #ms = 0;

  constructor(breather: Breather) {
    this.#breather = breather;
  }

  succeeded(): void {
    this.#ms = 0;
  }

  /** Wait out the next back-off, pausing every client with it (see {@link Breather.backOff}). */
  failed(): Promise<void> {
    this.#ms = Math.min(MAX_BACKOFF_MS, this.#ms === 0 ? BACKOFF_MS : this.#ms * 2);
    return this.#breather.backOff(this.#ms);
  }
}

/**
 * Vary the interleaving between two ops. Only microtasks: a client resumed from a macrotask
 * would run alone until its next one, and an in-process backend would see no concurrency at all.
 */
export async function shuffleTurns(prng: Prng): Promise<void> {
  for (let turns = prng.below(4); turns > 0; turns--) await Promise.resolve();
}
