/** What a fixed number of calls cost. */
export interface CallsCost {
  calls: number;
  wallMs: number;
  /** This process's user + system CPU time over the calls, in µs. */
  cpuUs: number;
}

/**
 * Make `calls` calls of `step` from `concurrency` workers, each waiting for its previous call,
 * and measure the wall-clock and CPU time they took. A fixed count rather than a fixed
 * duration: the CPU time then belongs to exactly the calls counted.
 */
export async function runFixedCalls(
  step: () => Promise<unknown>,
  calls: number,
  concurrency: number,
): Promise<CallsCost> {
  let issued = 0;
  const worker = async () => {
    while (issued < calls) {
      issued++;
      await step();
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { calls, wallMs, cpuUs: cpu.user + cpu.system };
}
