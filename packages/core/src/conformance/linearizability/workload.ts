import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import type { KVBackend } from '../../backend.js';
import type { HistoryOp } from './history.js';
import { measureOverlap, type OverlapStats } from './overlap.js';
import { createPrng, type Prng } from './prng.js';
import { HistoryRecorder, type RecordingClient } from './recorder.js';
import { WORKLOAD_REQUIREMENTS } from './requirements.js';

/** What {@link runWorkload} runs. */
export interface WorkloadOptions {
  /** Drives every client's choices; the same seed replays the same choices. */
  seed: number;
  /** Concurrent clients (default 16). */
  clients?: number;
  /** Number of keys the clients share (default 3); they must start absent. */
  keys?: number;
  /** Operations to run in total (default 2000). */
  operations?: number;
  /** Injected `count` times at evenly spaced points of the run, while clients keep going. */
  faults?: { count: number; inject(): Promise<unknown> };
}

/** The recorded history of a run and how hard it stressed the model. */
export interface WorkloadRun {
  readonly history: readonly HistoryOp[];
  readonly stats: WorkloadStats;
}

/** Counts and measures of a run. */
export interface WorkloadStats {
  /** Operations invoked. */
  readonly operations: number;
  /** Rejected with `indeterminate`: may or may not have taken effect. */
  readonly indeterminate: number;
  /** Rejected without `indeterminate`: took no effect. */
  readonly failed: number;
  /** checkAndSet calls invoked. */
  readonly casAttempts: number;
  /** Fraction of resolved checkAndSet calls that resolved true. */
  readonly casSuccessRate: number;
  /** How much operations on the same key overlapped in time. */
  readonly overlap: OverlapStats;
  /** Times the fault hook was called. */
  readonly faultsInjected: number;
}

/** After a rejection a client waits this long, doubling per further rejection, as real clients back off. */
const BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 100;
/** Ops between two chances for timers and I/O to run (see {@link Breather}). */
const BREATHE_EVERY = 32;

/**
 * Run a seeded randomized workload on `backend` and record it: `clients` concurrent clients
 * run read-modify-write cycles (get, then checkAndSet / checkAndDelete from what they last
 * saw) mixed with blind sets and deletes, on a few shared keys, writing values that are
 * unique in the run. Rejections are recorded and the client goes on.
 */
export async function runWorkload(
  backend: KVBackend,
  options: WorkloadOptions,
): Promise<WorkloadRun> {
  const clients = options.clients ?? WORKLOAD_REQUIREMENTS.clients;
  const keyCount = options.keys ?? WORKLOAD_REQUIREMENTS.keys;
  const keys = Array.from({ length: keyCount }, (_, i) => `linearizability:${i}`);
  const total = options.operations ?? WORKLOAD_REQUIREMENTS.operations;
  const recorder = new HistoryRecorder();
  const faultAt = faultSchedule(total, options.faults?.count ?? 0);
  const faults: Promise<unknown>[] = [];
  const breather = new Breather();
  let claimed = 0;

  const claim = (): boolean => {
    if (claimed >= total) return false;
    claimed++;
    if (faultAt.has(claimed) && options.faults) faults.push(options.faults.inject());
    return true;
  };
  await Promise.all(
    Array.from({ length: clients }, (_, index) => {
      const prng = createPrng((options.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
      return runClient(recorder.client(backend, `c${index}`), keys, prng, claim, breather);
    }),
  );
  await Promise.all(faults);
  const history = recorder.history();
  return { history, stats: statsOf(history, faults.length) };
}

/** The op numbers after which faults are injected, evenly spaced through the run. */
function faultSchedule(total: number, count: number): Set<number> {
  return new Set(
    Array.from({ length: count }, (_, i) => Math.round((total * (i + 1)) / (count + 1))),
  );
}

async function runClient(
  client: RecordingClient,
  keys: readonly string[],
  prng: Prng,
  claim: () => boolean,
  breather: Breather,
): Promise<void> {
  // What this client last saw in each key; missing means it has to read first.
  const seen = new Map<string, string | null>();
  let written = 0;
  const fresh = () => `${client.id}-${written++}`;
  let backoff = 0;
  // After a read or a failed write the client stays on that key and tries again, as a
  // read-modify-write loop does.
  let stay: string | undefined;

  while (claim()) {
    await breather.pause();
    const key = stay ?? (keys[prng.below(keys.length)] as string);
    const kind = chooseOp(seen.get(key), stay !== undefined, prng);
    try {
      const belief = await runOp(client, kind, key, seen.get(key) ?? null, fresh);
      if (belief === undefined) seen.delete(key);
      else seen.set(key, belief);
      stay = kind === 'get' || belief === undefined ? key : undefined;
      backoff = 0;
    } catch {
      seen.delete(key); // recorded by the client; what the key holds is unknown now
      stay = undefined;
      backoff = Math.min(MAX_BACKOFF_MS, backoff === 0 ? BACKOFF_MS : backoff * 2);
      await breather.backOff(backoff);
    }
    // Vary the interleaving. Only microtasks: a client resumed from a macrotask would run
    // alone until its next one, and an in-process backend would see no concurrency at all.
    for (let turns = prng.below(4); turns > 0; turns--) await Promise.resolve();
  }
}

/**
 * Lets the event loop run every {@link BREATHE_EVERY} ops. On an in-process backend the
 * clients otherwise run in one long chain of microtasks that starves timers and I/O. All
 * clients wait for the same macrotask, so they resume together and keep interleaving.
 * A rejected client's backoff pauses every client the same way: clients that kept going alone
 * during it would run their ops one at a time, and the run would barely overlap.
 */
class Breather {
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

type OpKind = 'get' | 'checkAndSet' | 'set' | 'checkAndDelete' | 'delete';

/**
 * A read first when nothing was seen; right after a read, a conditional write from it;
 * otherwise mostly a read (which starts a read-modify-write cycle), else a checkAndSet from
 * what was last seen, a blind set, a checkAndDelete or a delete.
 */
function chooseOp(last: string | null | undefined, justRead: boolean, prng: Prng): OpKind {
  if (last === undefined) return 'get';
  const roll = prng.next();
  if (justRead) return roll < 0.2 && last !== null ? 'checkAndDelete' : 'checkAndSet';
  if (roll < 0.6) return 'get';
  if (roll < 0.75) return 'checkAndSet';
  if (roll < 0.83) return 'set';
  if (roll < 0.93 && last !== null) return 'checkAndDelete';
  return 'delete';
}

/** Run one op and return what the client believes the key holds afterwards (undefined: unknown). */
async function runOp(
  client: RecordingClient,
  kind: OpKind,
  key: string,
  last: string | null,
  fresh: () => string,
): Promise<string | null | undefined> {
  switch (kind) {
    case 'get':
      return client.get(key);
    case 'checkAndSet': {
      const next = fresh();
      return (await client.checkAndSet(key, last, next)) ? next : undefined;
    }
    case 'set': {
      const value = fresh();
      await client.set(key, value);
      return value;
    }
    case 'checkAndDelete':
      return (await client.checkAndDelete(key, last as string)) ? null : undefined;
    case 'delete':
      await client.delete(key);
      return null;
  }
}

function statsOf(history: readonly HistoryOp[], faultsInjected: number): WorkloadStats {
  let indeterminate = 0;
  let failed = 0;
  let casAttempts = 0;
  let casResolved = 0;
  let casSucceeded = 0;
  for (const op of history) {
    if (op.result.status === 'indeterminate') indeterminate++;
    if (op.result.status === 'failed') failed++;
    if (op.op.name !== 'checkAndSet') continue;
    casAttempts++;
    if (op.result.status !== 'ok') continue;
    casResolved++;
    if (op.result.output === true) casSucceeded++;
  }
  return {
    operations: history.length,
    indeterminate,
    failed,
    casAttempts,
    casSuccessRate: casResolved === 0 ? 0 : casSucceeded / casResolved,
    overlap: measureOverlap(history),
    faultsInjected,
  };
}
