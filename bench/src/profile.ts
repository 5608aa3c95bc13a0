import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { type AdapterSetup, setUpAdapter } from './adapters.js';
import { runClosedLoop } from './closed-loop.js';
import { ADAPTER_NAMES, type AdapterName } from './config.js';
import { type ContenderKind, OP_NAMES, type OpName } from './contender.js';
import { BENCH_DIR } from './environment.js';
import { formatRate, log } from './format.js';
import { summarizeProfile } from './profile-summary.js';
import { prepareWorkload } from './workloads.js';

/**
 * `pnpm --filter @strongbox/bench profile <adapter> <op> <concurrency> [contender] [seconds]`:
 * CPU-profile one contender running one op (Strongbox by default), measured window only.
 * Writes bench/results/<adapter>-<op>-c<n>-<contender>.cpuprofile (open it in Chrome DevTools)
 * and prints where the time went, by function and by package.
 */
async function main(): Promise<void> {
  const [adapter, op, concurrencyText, contenderKind = 'strongbox', secondsText = '5'] =
    process.argv.slice(2);
  if (!ADAPTER_NAMES.includes(adapter as AdapterName) || !OP_NAMES.includes(op as OpName)) {
    throw new Error(
      `usage: profile <${ADAPTER_NAMES.join('|')}> <${OP_NAMES.join('|')}> <concurrency> [contender] [seconds]`,
    );
  }
  const concurrency = Number(concurrencyText);
  const setup: AdapterSetup = await setUpAdapter(adapter as AdapterName);
  const contenders = await setup.contenders();
  try {
    const contender = contenders.find(
      (candidate) => candidate.kind === (contenderKind as ContenderKind),
    );
    if (contender === undefined) throw new Error(`no contender ${contenderKind} for ${adapter}`);
    const workload = await prepareWorkload(op as OpName, contender, {
      concurrency,
      capacity: 3_000_000,
    });
    await runClosedLoop(workload.step, { concurrency, warmupMs: 0, durationMs: 2_000 });
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const run = await runClosedLoop(workload.step, {
      concurrency,
      warmupMs: 0,
      durationMs: Number(secondsText) * 1000,
    });
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = join(
      BENCH_DIR,
      'results',
      `${adapter}-${op}-c${concurrency}-${contender.kind}.cpuprofile`,
    );
    await writeFile(file, JSON.stringify(profile));
    log(
      `${contender.kind} ${op} c${concurrency}: ${formatRate((run.ops * 1000) / run.elapsedMs)} ops/s; profile in ${file}`,
    );
    process.stdout.write(`${summarizeProfile(profile, run.ops)}\n`);
    await workload.finish?.();
  } finally {
    await Promise.all(contenders.map((contender) => contender.close()));
    await setup.stop();
  }
}

await main();
