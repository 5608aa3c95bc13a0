import { runClosedLoop, type Step } from '../closed-loop.js';
import type { Contender, ContenderKind, OpName } from '../contender.js';
import { log } from '../format.js';
import { prepareWorkload } from '../workloads.js';

/** Contenders whose traffic passes through counting proxies. */
export interface CountedContenders {
  contenders: Contender[];
  /** Requests the proxies have counted so far. */
  messages(): number;
  close(): Promise<void>;
}

/** Concurrency of the counting runs: under load, where batching or extra calls would show. */
const CONCURRENCY = 64;
/** Keys seeded for `delete`; running out only makes later deletes miss, still one request each. */
const DELETE_KEYS = 20_000;
/**
 * Requests the warm-up sends at least, so every pooled connection has prepared every
 * statement the op uses before counting starts; it never runs longer than the cap.
 */
const WARMUP_REQUESTS = 300;
const MAX_WARMUP_MS = 5_000;

/**
 * Requests sent per operation, for each op and contender: a warm-up (connections open,
 * statements prepared, scripts loaded), then a run whose requests are counted and divided by
 * the operations it finished. Runs drain completely, so no request straddles the count.
 * The hot-key loop is left out: it is a get and a CAS per attempt by construction.
 */
export async function countRoundTrips(
  counted: CountedContenders,
  ops: readonly OpName[],
  windowMs: number,
): Promise<Map<OpName, Partial<Record<ContenderKind, number>>>> {
  const perOp = new Map<OpName, Partial<Record<ContenderKind, number>>>();
  for (const op of ops.filter((candidate) => candidate !== 'cas-hot')) {
    const byContender: Partial<Record<ContenderKind, number>> = {};
    for (const contender of counted.contenders.filter((candidate) => candidate.ops.has(op))) {
      const workload = await prepareWorkload(op, contender, {
        concurrency: CONCURRENCY,
        capacity: DELETE_KEYS,
      });
      await warmUp(workload.step, counted, windowMs);
      const before = counted.messages();
      const run = await runClosedLoop(workload.step, {
        concurrency: CONCURRENCY,
        warmupMs: 0,
        durationMs: windowMs,
      });
      byContender[contender.kind] = (counted.messages() - before) / run.totalOps;
      await workload.finish?.();
    }
    log(`  round trips ${op}: ${JSON.stringify(byContender)}`);
    perOp.set(op, byContender);
  }
  return perOp;
}

async function warmUp(step: Step, counted: CountedContenders, sliceMs: number): Promise<void> {
  const began = performance.now();
  const before = counted.messages();
  while (
    counted.messages() - before < WARMUP_REQUESTS &&
    performance.now() - began < MAX_WARMUP_MS
  ) {
    await runClosedLoop(step, { concurrency: CONCURRENCY, warmupMs: 0, durationMs: sliceMs });
  }
}
