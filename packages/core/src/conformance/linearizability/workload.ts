import type { KVBackend } from '../../backend.js';
import { runCounterClient } from './counter-client.js';
import type { HistoryOp } from './history.js';
import { measureOverlap, type OverlapStats } from './overlap.js';
import { Backoff, Breather, shuffleTurns } from './pacing.js';
import { createPrng, type Prng } from './prng.js';
import { HistoryRecorder, type RecordingClient } from './recorder.js';
import { WORKLOAD_REQUIREMENTS } from './requirements.js';

/** The kinds of op a workload's clients run; see {@link WorkloadOptions.mix}. */
export type WorkloadMix = 'register' | 'counter';

/** What {@link runWorkload} runs. */
export interface WorkloadOptions {
  /** Drives every client's choices; the same seed replays the same choices. */
  seed: number;
  /** Concurrent clients (default 16). */
  clients?: number;
  /**
   * What the clients run (default `register`):
   * - `register`: read-modify-write cycles with get, checkAndSet, checkAndDelete, set, delete;
   * - `counter`: the hot-key mix of rate limiters: increments, `update` calls with known steps
   *   (add, read, now and then an append that makes the value no counter), reads, and sets
   *   and deletes that reset the counter. `update` combines concurrent calls; `increment`
   *   combines them when the backend does (KVBackendBase's `combine` option).
   */
  mix?: WorkloadMix;
  /** Number of keys the clients share (default 3 for `register`, 1 for `counter`); they must start absent. */
  keys?: number;
  /** Operations to run in total (default 2000), unless `stressed` asks for more. */
  operations?: number;
  /**
   * Whether the run so far stressed the model enough. While it says no once `operations` ops
   * were claimed, the clients keep going, a quarter of `operations` at a time, up to
   * `maxOperations` (default: no more than `operations`).
   */
  stressed?: (stats: WorkloadStats) => boolean;
  /** The most operations `stressed` may extend the run to. */
  maxOperations?: number;
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
  /** checkAndSet calls that resolved true. */
  readonly casWon: number;
  /** checkAndSet calls that resolved false. */
  readonly casLost: number;
  /** increment and update calls invoked. */
  readonly counterOps: number;
  /** How much operations on the same key overlapped in time. */
  readonly overlap: OverlapStats;
  /** Times the fault hook was called. */
  readonly faultsInjected: number;
}

/**
 * Run a seeded randomized workload on `backend` and record it: `clients` concurrent clients
 * run the ops of `options.mix` on a few shared keys. In the `register` mix they run
 * read-modify-write cycles (get, then checkAndSet / checkAndDelete from what they last saw)
 * mixed with blind sets and deletes, writing values that are unique in the run; the
 * `counter` mix hammers one hot key. Rejections are recorded and the client goes on.
 */
export async function runWorkload(
  backend: KVBackend,
  options: WorkloadOptions,
): Promise<WorkloadRun> {
  const clients = options.clients ?? WORKLOAD_REQUIREMENTS.clients;
  const counters = options.mix === 'counter';
  const keyCount = options.keys ?? (counters ? 1 : WORKLOAD_REQUIREMENTS.keys);
  const prefix = counters ? 'linearizability:hot' : 'linearizability';
  const keys = Array.from({ length: keyCount }, (_, i) => `${prefix}:${i}`);
  const runClient = counters ? runCounterClient : runRegisterClient;
  const planned = options.operations ?? WORKLOAD_REQUIREMENTS.operations;
  const recorder = new HistoryRecorder();
  const faultAt = faultSchedule(planned, options.faults?.count ?? 0);
  const faults: Promise<unknown>[] = [];
  const breather = new Breather();
  let total = planned;
  let claimed = 0;
  // Once the run was found stressed enough (or at its cap), no client asks again.
  let ended = false;

  const extended = (): boolean => {
    const { stressed, maxOperations = planned } = options;
    if (ended || stressed === undefined || total >= maxOperations) return false;
    if (stressed(statsOf(recorder.history(), faults.length))) {
      ended = true;
      return false;
    }
    total = Math.min(maxOperations, total + Math.max(1, Math.ceil(planned / 4)));
    return true;
  };
  const claim = (): boolean => {
    if (claimed >= total && !extended()) return false;
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

async function runRegisterClient(
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
  const backoff = new Backoff(breather);
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
      backoff.succeeded();
    } catch {
      seen.delete(key); // recorded by the client; what the key holds is unknown now
      stay = undefined;
      await backoff.failed();
    }
    await shuffleTurns(prng);
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
  let counterOps = 0;
  for (const op of history) {
    if (op.result.status === 'indeterminate') indeterminate++;
    if (op.result.status === 'failed') failed++;
    if (op.op.name === 'increment' || op.op.name === 'update') counterOps++;
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
    casWon: casSucceeded,
    casLost: casResolved - casSucceeded,
    counterOps,
    overlap: measureOverlap(history),
    faultsInjected,
  };
}
