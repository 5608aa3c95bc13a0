import { createPostgresBackend, type PostgresBackend } from '@strongbox/postgres';
import postgres from 'postgres';
import { runClosedLoop } from '../closed-loop.js';
import { strongboxContender } from '../contenders/strongbox.js';
import { formatRate, log } from '../format.js';
import { LatencyHistogram } from '../histogram.js';
import { prepareWorkload } from '../workloads.js';
import { startLockSampler, type WaitSamples } from './lock-sampler.js';

const CONCURRENCY = 64;
const TABLE = 'bench_purge';
const CAS_APP = 'bench-cas';
const PURGE_APP = 'bench-purge';
const SAMPLE_INTERVAL_MS = 20;

/** CAS throughput and latency over one phase, with what its connections waited for. */
export interface CasPhase {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  waits: WaitSamples;
}

/** The purge-under-load measurement. */
export interface PurgeUnderLoadResult {
  expiredRows: number;
  concurrency: number;
  durationMs: number;
  withoutPurge: CasPhase;
  withPurge: CasPhase & {
    rowsPurged: number;
    purgeBatches: number;
    purgeBatchP50Ms: number;
    purgeBatchP99Ms: number;
  };
}

/**
 * Fill the adapter's table with `expiredRows` expired rows, then run uncontended CAS at c64
 * twice: alone, and while a second backend (another process, as far as the server knows)
 * calls `purgeExpired()` back to back. Meanwhile sample what the CAS connections wait for and
 * whether the purge's connection blocks any of them.
 */
export async function runPurgeUnderLoad(
  url: string,
  expiredRows: number,
  durationMs: number,
): Promise<PurgeUnderLoadResult> {
  const monitor = postgres(url, { max: 1, onnotice: () => undefined });
  const cas = await createPostgresBackend({
    url,
    table: TABLE,
    purgeInterval: 0,
    applicationName: CAS_APP,
  });
  const purger = await createPostgresBackend({
    url,
    table: TABLE,
    purgeInterval: 0,
    applicationName: PURGE_APP,
    max: 2,
  });
  try {
    log(`  purge: inserting ${expiredRows} expired rows`);
    await monitor.unsafe(
      `INSERT INTO ${cas.table} (key, value, expires_at)
       SELECT 'expired:' || g, decode('76', 'hex'), clock_timestamp() - interval '1 hour'
       FROM generate_series(1, $1::integer) AS g`,
      [expiredRows],
    );
    await monitor.unsafe(`VACUUM ANALYZE ${cas.table}`);
    const withoutPurge = await casPhase(cas, monitor, durationMs);
    log(
      `  purge: CAS alone ${formatRate(withoutPurge.opsPerSec)} ops/s, p99 ${withoutPurge.p99Ms.toFixed(2)} ms`,
    );
    const purging = startPurgeLoop(purger);
    const phase = await casPhase(cas, monitor, durationMs);
    const purged = await purging.stop();
    log(
      `  purge: CAS during purge ${formatRate(phase.opsPerSec)} ops/s, p99 ${phase.p99Ms.toFixed(2)} ms; ` +
        `${purged.rowsPurged} rows purged, ${phase.waits.casBlockedByPurge} CAS observations blocked by the purge`,
    );
    return {
      expiredRows,
      concurrency: CONCURRENCY,
      durationMs,
      withoutPurge,
      withPurge: { ...phase, ...purged },
    };
  } finally {
    await Promise.all([cas.close(), purger.close(), monitor.end()]);
  }
}

async function casPhase(
  cas: PostgresBackend,
  monitor: postgres.Sql<Record<string, never>>,
  durationMs: number,
): Promise<CasPhase> {
  const contender = strongboxContender(cas, 'purge-under-load CAS');
  const workload = await prepareWorkload('cas', contender, {
    concurrency: CONCURRENCY,
    capacity: 0,
  });
  const sampler = startLockSampler(monitor, CAS_APP, PURGE_APP, SAMPLE_INTERVAL_MS);
  const run = await runClosedLoop(workload.step, {
    concurrency: CONCURRENCY,
    warmupMs: 500,
    durationMs,
  });
  return {
    opsPerSec: (run.ops * 1000) / run.elapsedMs,
    p50Ms: run.latency.percentile(0.5),
    p99Ms: run.latency.percentile(0.99),
    waits: await sampler.stop(),
  };
}

/** Call `purgeExpired()` back to back until stopped, timing each batch. */
function startPurgeLoop(purger: PostgresBackend) {
  const latency = new LatencyHistogram();
  let rowsPurged = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const began = performance.now();
      rowsPurged += await purger.purgeExpired();
      latency.record(performance.now() - began);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return {
        rowsPurged,
        purgeBatches: latency.count,
        purgeBatchP50Ms: latency.percentile(0.5),
        purgeBatchP99Ms: latency.percentile(0.99),
      };
    },
  };
}
