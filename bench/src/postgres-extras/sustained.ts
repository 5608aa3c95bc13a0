import { runClosedLoop } from '../closed-loop.js';
import type { ContenderKind } from '../contender.js';
import { sustainedContenders } from '../contenders/postgres.js';
import { formatRate, log } from '../format.js';
import { prepareWorkload } from '../workloads.js';

/** Concurrency of the sustained run: far more callers than the pool has connections. */
const CONCURRENCY = 64;
/** Length of the windows compared at the start and end of the run. */
const WINDOW_S = 5;

/** One client's throughput over a long run, second by second. */
export interface SustainedResult {
  contender: ContenderKind;
  description: string;
  op: 'get-hit';
  concurrency: number;
  perSecond: number[];
  /** Mean ops/s of the first and the last window of the run. */
  firstWindowOpsPerSec: number;
  lastWindowOpsPerSec: number;
  /** last ÷ first: below 1 means the client slows down under sustained load. */
  lastToFirst: number;
}

/**
 * Run `get-hit` at c64 for `durationMs` on fresh clients, one after the other: the adapter with
 * its defaults, then porsager with its stock options (whose queue degrades under sustained
 * overload), and compare the first and last seconds of each run.
 */
export async function runSustained(url: string, durationMs: number): Promise<SustainedResult[]> {
  const contenders = await sustainedContenders(url);
  const windowSeconds = Math.min(WINDOW_S, Math.floor(durationMs / 3000));
  const results: SustainedResult[] = [];
  try {
    for (const contender of contenders) {
      const workload = await prepareWorkload('get-hit', contender, {
        concurrency: CONCURRENCY,
        capacity: 0,
      });
      const run = await runClosedLoop(workload.step, {
        concurrency: CONCURRENCY,
        warmupMs: 0,
        durationMs,
      });
      const mean = (seconds: number[]) => seconds.reduce((sum, n) => sum + n, 0) / seconds.length;
      const first = mean(run.perSecond.slice(0, windowSeconds));
      const last = mean(run.perSecond.slice(-windowSeconds));
      results.push({
        contender: contender.kind,
        description: contender.description,
        op: 'get-hit',
        concurrency: CONCURRENCY,
        perSecond: run.perSecond,
        firstWindowOpsPerSec: first,
        lastWindowOpsPerSec: last,
        lastToFirst: last / first,
      });
      log(
        `  sustained ${contender.kind}: first ${windowSeconds} s ${formatRate(first)} ops/s, ` +
          `last ${windowSeconds} s ${formatRate(last)} ops/s`,
      );
    }
  } finally {
    await Promise.all(contenders.map((contender) => contender.close()));
  }
  return results;
}
