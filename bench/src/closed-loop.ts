import { LatencyHistogram } from './histogram.js';

/** One operation of a worker; `worker` is 0..concurrency-1. */
export type Step = (worker: number) => Promise<unknown>;

/** How long and how wide a closed-loop run is. */
export interface LoopShape {
  /** Workers issuing operations back to back, each waiting for its previous one. */
  concurrency: number;
  /** Ms of load before measuring starts; the same workers carry on without a pause. */
  warmupMs: number;
  /** Ms measured. */
  durationMs: number;
}

/** What a closed-loop run measured. */
export interface LoopResult {
  /** Operations finished inside the measured window. */
  ops: number;
  /** Length of the measured window in ms. */
  elapsedMs: number;
  latency: LatencyHistogram;
  /** Operations finished in each whole second of the measured window. */
  perSecond: number[];
  /** Every operation the run finished, warm-up and the tail past the window included. */
  totalOps: number;
}

/**
 * Run `step` from `concurrency` workers for warm-up plus duration and measure the sustained
 * rate: the operations that finish inside the window, wherever they began, as a closed loop in
 * steady state finishes them (counting only those begun inside would leave out up to one per
 * worker, a tenth of a 50 ms window at 64 workers on Postgres). The clock is read on every
 * iteration instead of relying on a timer, because an in-process backend resolves on the
 * microtask queue and a timer would never get to run.
 */
export async function runClosedLoop(step: Step, shape: LoopShape): Promise<LoopResult> {
  const latency = new LatencyHistogram();
  const perSecond: number[] = [];
  const start = performance.now() + shape.warmupMs;
  const end = start + shape.durationMs;
  let ops = 0;
  let totalOps = 0;
  let failed = false;

  const worker = async (index: number) => {
    let now = performance.now();
    while (now < end && !failed) {
      const began = now;
      try {
        await step(index);
      } catch (error) {
        failed = true; // stop the other workers, then let Promise.all report the failure
        throw error;
      }
      now = performance.now();
      totalOps++;
      if (now >= start && now <= end) {
        latency.record(now - began);
        ops++;
        const second = Math.floor((now - start) / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: shape.concurrency }, (_, index) => worker(index)));
  const wholeSeconds = Math.floor(shape.durationMs / 1000);
  return {
    ops,
    elapsedMs: shape.durationMs,
    latency,
    perSecond: Array.from({ length: wholeSeconds }, (_, second) => perSecond[second] ?? 0),
    totalOps,
  };
}
