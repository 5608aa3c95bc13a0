import { runClosedLoop } from '../closed-loop.js';
import type { ContenderKind } from '../contender.js';
import { sustainedContender } from '../contenders/postgres.js';
import { formatRate, log } from '../format.js';
import type { Checkpoints } from '../servers/checkpoints.js';
import { prepareWorkload } from '../workloads.js';

/** Length of the windows compared at the start and end of a run. */
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
  /** Checkpoints the server ran during the run (one is forced just before it). */
  checkpointsDuring: number;
}

/**
 * The runs, each on a fresh client: the adapter far above its pool size (c64) and at c1 (its
 * pool keeps idle connections then), and porsager with its stock options at c64, whose
 * connection queue degrades under sustained overload.
 */
const RUNS = [
  { client: 'strongbox', concurrency: 64 },
  { client: 'strongbox', concurrency: 1 },
  { client: 'stock', concurrency: 64 },
] as const;

/** How many sustained runs there are, each `sustainedMs` long (for the run's time estimate). */
export const SUSTAINED_RUN_COUNT = RUNS.length;

/**
 * Run `get-hit` for `durationMs` per run and compare the first and last seconds of each. A
 * checkpoint is forced before each run, so no timed one lands inside it and reads as decay.
 */
export async function runSustained(
  url: string,
  durationMs: number,
  checkpoints: Checkpoints,
): Promise<SustainedResult[]> {
  const windowSeconds = Math.max(1, Math.min(WINDOW_S, Math.floor(durationMs / 3000)));
  const results: SustainedResult[] = [];
  for (const { client, concurrency } of RUNS) {
    const contender = await sustainedContender(url, client);
    try {
      const workload = await prepareWorkload('get-hit', contender, { concurrency, capacity: 0 });
      await checkpoints.force();
      const checkpointsBefore = await checkpoints.count();
      const run = await runClosedLoop(workload.step, { concurrency, warmupMs: 0, durationMs });
      const checkpointsDuring = (await checkpoints.count()) - checkpointsBefore;
      const mean = (seconds: number[]) => seconds.reduce((sum, n) => sum + n, 0) / seconds.length;
      const first = mean(run.perSecond.slice(0, windowSeconds));
      const last = mean(run.perSecond.slice(-windowSeconds));
      results.push({
        contender: contender.kind,
        description: contender.description,
        op: 'get-hit',
        concurrency,
        perSecond: run.perSecond,
        firstWindowOpsPerSec: first,
        lastWindowOpsPerSec: last,
        lastToFirst: last / first,
        checkpointsDuring,
      });
      log(
        `  sustained ${contender.kind} c${concurrency}: first ${windowSeconds} s ${formatRate(first)} ops/s, ` +
          `last ${windowSeconds} s ${formatRate(last)} ops/s`,
      );
    } finally {
      await contender.close();
    }
  }
  return results;
}
