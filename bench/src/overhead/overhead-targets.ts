import type { TargetCheck } from '../report/targets.js';
import type { OverheadRun } from './overhead-results.js';

/** Most a call may cost more behind `@strongbox/failover`, at 64 in flight (issue 16). */
const FAILOVER_TARGET = 1.05;
/** Most core's diagnostics check may add to a memory get without a subscriber (issue 16). */
const INSTRUMENTATION_TARGET = 1.02;

function percent(ratio: number): string {
  return `${((ratio - 1) * 100).toFixed(1)} %`;
}

/** The overhead targets checked against a saved `pnpm bench:overhead` run. */
export function checkOverheadTargets(run: OverheadRun | undefined): TargetCheck[] {
  const failover = (run?.cells ?? []).filter(
    (cell) => cell.subject === 'failover' && cell.concurrency === 64,
  );
  const worst = failover.reduce(
    (most, cell) => Math.max(most, cell.cpuRatio.median, cell.wallRatio.median),
    0,
  );
  const counts = run?.instructions;
  const instrumentation =
    counts === undefined ? undefined : counts.perGet.stock / counts.perGet.stripped;
  return [
    {
      target: 'failover adds ≤ 5 % per call at c64 (memory and Redis, wall-clock and CPU)',
      status: failover.length === 0 ? 'not measured' : worst <= FAILOVER_TARGET ? 'met' : 'missed',
      detail: failover
        .map(
          (cell) =>
            `${cell.backend} ${cell.op}: +${percent(cell.cpuRatio.median)} CPU, +${percent(cell.wallRatio.median)} wall`,
        )
        .join('; '),
    },
    {
      target: 'diagnostics without a subscriber add ≤ 2 % to a memory get (instructions, c64)',
      status:
        instrumentation === undefined
          ? 'not measured'
          : instrumentation <= INSTRUMENTATION_TARGET
            ? 'met'
            : 'missed',
      detail:
        counts === undefined
          ? ''
          : `+${percent(instrumentation as number)} (${counts.perGet.stock.toFixed(0)} against ${counts.perGet.stripped.toFixed(0)} instructions per get)`,
    },
  ];
}
