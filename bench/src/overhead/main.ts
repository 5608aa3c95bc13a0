import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { listFlag, parseFlags } from '../config.js';
import { log } from '../format.js';
import { RunProgress } from '../progress.js';
import { outputPlace, rewriteDocFromSavedResults } from '../report/write-results.js';
import { countInstructions } from './instruction-count.js';
import { measureOverheadCell, type OverheadCellResult } from './measure-overhead.js';
import type { OverheadOp } from './overhead-comparison.js';
import { OVERHEAD_GROUPS, type OverheadGroup, startComparison } from './overhead-comparisons.js';
import type { OverheadRun } from './overhead-results.js';
import { renderOverheadSections } from './render-overhead.js';

const OPS: readonly OverheadOp[] = ['get', 'set'];

/**
 * `pnpm bench:overhead [--quick] [--only=failover-memory,failover-redis,instrumentation]
 * [--skip-callgrind] [--save]`: what `@strongbox/failover` adds to the backend it wraps, and
 * what core's diagnostics channels cost without and with a subscriber (wall-clock and CPU time
 * per call in alternating rounds; instructions per get under callgrind). Results go to
 * `.tmp/bench/overhead.json` unless `--save` writes `bench/results/overhead.json` and
 * regenerates `docs/benchmarks.md`.
 */
async function main(): Promise<void> {
  const flags = parseFlags(
    process.argv.slice(2),
    ['quick', 'save', 'only', 'skip-callgrind'],
    `--quick, --save, --skip-callgrind, --only=${OVERHEAD_GROUPS.join(',')}`,
  );
  const quick = flags.get('quick') === 'true';
  const save = flags.get('save') === 'true';
  const groups = listFlag(flags.get('only'), OVERHEAD_GROUPS, 'group');
  const rounds = quick ? 5 : 21;
  const calls = { memory: quick ? 20_000 : 200_000, redis: quick ? 4_000 : 20_000 };
  const startedAt = new Date();
  const [loadAtStart = 0] = loadavg();
  const progress = new RunProgress();
  for (const group of groups) progress.plan(group, plannedMs(group, rounds, calls));
  const cells: OverheadCellResult[] = [];
  for (const group of groups) {
    const comparison = await startComparison(group);
    try {
      for (const concurrency of comparison.concurrencies) {
        for (const op of OPS) {
          const perTurn = comparison.backend === 'memory' ? calls.memory : calls.redis;
          cells.push(
            await measureOverheadCell(comparison, op, concurrency, { rounds, calls: perTurn }),
          );
        }
      }
    } finally {
      await comparison.close();
    }
    progress.finish(group);
  }
  const run: OverheadRun = {
    startedAt: startedAt.toISOString(),
    durationS: 0,
    mode: quick ? 'quick' : 'full',
    rounds,
    calls,
    node: process.versions.node,
    loadAverage: { start: loadAtStart, end: 0 },
    cells,
  };
  if (flags.get('skip-callgrind') === 'true') run.instructionsSkipped = '--skip-callgrind';
  else if (groups.includes('instrumentation')) {
    log('counting instructions per get under callgrind');
    const plain = quick
      ? { warmup: 20_000, small: 20_000, large: 100_000 }
      : { warmup: 200_000, small: 200_000, large: 1_000_000 };
    const subscribed = quick
      ? { warmup: 5_000, small: 5_000, large: 25_000 }
      : { warmup: 20_000, small: 20_000, large: 100_000 };
    run.instructions = await countInstructions({ stripped: plain, stock: plain, subscribed });
  }
  run.durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);
  run.loadAverage.end = loadavg()[0] ?? 0;
  const dir = outputPlace(save).resultsDir;
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'overhead.json');
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  if (save) await rewriteDocFromSavedResults();
  else process.stdout.write(`${renderOverheadSections(run).join('\n')}\n`);
  log(`done in ${run.durationS} s; wrote ${file}${save ? ' and docs/benchmarks.md' : ''}`);
}

/** Rough measured time of a group, for the progress line's time left. */
function plannedMs(
  group: OverheadGroup,
  rounds: number,
  calls: { memory: number; redis: number },
): number {
  const turns = (rounds + 1) * 2 * OPS.length;
  if (group === 'failover-redis') return turns * (calls.redis / 100);
  const concurrencies = group === 'failover-memory' ? 2 : 1;
  return turns * concurrencies * (calls.memory / 1000);
}

await main();
