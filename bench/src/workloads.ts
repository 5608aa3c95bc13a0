import type { Step } from './closed-loop.js';
import type { Contender, OpName } from './contender.js';

/** A 64-character value: small, like a counter, a lease token or a serialized window. */
export const VALUE = 'v'.repeat(64);
/** TTL of the `set-ttl` op: long enough that nothing expires during a run. */
export const TTL_MS = 600_000;
/** Keys read by `get-hit` and written by `set`: a working set that stays in cache. */
const WORKING_SET = 10_000;

/** Where a workload runs. */
export interface WorkloadContext {
  concurrency: number;
  /** How many operations the measurement may issue at most; `delete` seeds this many keys. */
  capacity: number;
}

/** Counters only some ops have, read when a measurement is over. */
export interface WorkloadCounters {
  /** `cas-hot`: CAS calls made. */
  attempts?: number;
  /** `cas-hot`: increments that succeeded. */
  successes?: number;
  /** `cas-hot`: successful increments missing from the final value (non-atomic CAS loses them). */
  lostUpdates?: number;
  /** `delete`: deletes that found no seeded key left (capacity exhausted). */
  exhausted?: number;
}

/** A workload ready to run. */
export interface PreparedWorkload {
  step: Step;
  /**
   * After the measurement: tidy what would skew later measurements and report the counters.
   * Runs once every step has settled.
   */
  finish?: () => Promise<WorkloadCounters>;
}

const seeded = new WeakSet<Contender>();
/** Numbers each preparation, so the keys a CAS or delete run starts from are always fresh. */
let preparations = 0;

/** Keys `prefix0`..`prefix(count-1)`, built once so the timed loop allocates no key strings. */
function keyRange(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/** Set up `op` for `contender` (seeding what it reads) and return its step function. */
export async function prepareWorkload(
  op: OpName,
  contender: Contender,
  context: WorkloadContext,
): Promise<PreparedWorkload> {
  switch (op) {
    case 'get-hit': {
      const keys = keyRange('hit:', WORKING_SET);
      if (!seeded.has(contender)) {
        await contender.seed(keys, VALUE);
        seeded.add(contender);
      }
      return { step: cycle(keys, (key) => contender.get(key)) };
    }
    case 'get-miss':
      return { step: cycle(keyRange('miss:', WORKING_SET), (key) => contender.get(key)) };
    case 'set':
      return { step: cycle(keyRange('set:', WORKING_SET), (key) => contender.set(key, VALUE)) };
    case 'set-ttl':
      return {
        step: cycle(keyRange('ttl:', WORKING_SET), (key) => contender.set(key, VALUE, TTL_MS)),
      };
    case 'cas':
      return distinctKeyCas(contender, context);
    case 'cas-hot':
      return hotKeyIncrement(contender);
    case 'delete':
      return deleteSeeded(contender, context);
  }
}

/** Every worker takes the next key of `keys` in turn, wrapping around. */
function cycle(keys: readonly string[], run: (key: string) => Promise<unknown>): Step {
  let next = 0;
  return () => {
    const key = keys[next] as string;
    next = next + 1 === keys.length ? 0 : next + 1;
    return run(key);
  };
}

/**
 * Uncontended CAS: each worker owns one key and always knows its current value, so every
 * call succeeds; the first call of each worker creates its key (`expected` null).
 */
function distinctKeyCas(contender: Contender, { concurrency }: WorkloadContext) {
  const keys = keyRange(`cas:${++preparations}:`, concurrency);
  const current: (string | null)[] = keys.map(() => null);
  let counter = 0;
  const step: Step = async (worker) => {
    const next = `${VALUE}${counter++}`;
    const ok = await contender.checkAndSet(keys[worker] as string, current[worker] ?? null, next);
    if (!ok) throw new Error(`uncontended CAS failed for ${contender.kind}: the key changed`);
    current[worker] = next;
  };
  return { step } satisfies PreparedWorkload;
}

/**
 * The read-modify-write loop every optimistic counter runs on one hot key: read, CAS the
 * incremented value, retry on conflict. One step is one successful increment.
 */
function hotKeyIncrement(contender: Contender): PreparedWorkload {
  const key = `hot:${++preparations}`;
  let attempts = 0;
  let successes = 0;
  const step: Step = async () => {
    for (;;) {
      const seen = (await contender.get(key)) as string | null | undefined;
      attempts++;
      if (await contender.checkAndSet(key, seen ?? null, String(Number(seen ?? 0) + 1))) break;
    }
    successes++;
  };
  const finish = async () => {
    const final = Number((await contender.get(key)) ?? 0);
    return { attempts, successes, lostUpdates: successes - final };
  };
  return { step, finish };
}

/** Delete keys seeded beforehand, each once, so every delete removes a live key. */
async function deleteSeeded(contender: Contender, context: WorkloadContext) {
  const keys = keyRange(`del:${++preparations}:`, context.capacity);
  await contender.seed(keys, VALUE);
  let next = 0;
  let exhausted = 0;
  const step: Step = () => {
    if (next < keys.length) return contender.delete(keys[next++] as string);
    exhausted++;
    return contender.delete('del:absent');
  };
  // Unused seeded keys would bloat the namespace for every later measurement.
  const finish = async () => {
    await contender.unseed(keys.slice(next));
    return { exhausted };
  };
  return { step, finish } satisfies PreparedWorkload;
}
