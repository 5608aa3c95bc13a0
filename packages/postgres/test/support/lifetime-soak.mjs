// The lifetime soak (see lifetime-soak.test.ts), run in a child process so that the test can
// see it exit by itself. Reads STRONGBOX_SOAK_URL and STRONGBOX_SOAK_MS; prints one JSON line.
import { createPostgresBackend } from '../../dist/index.js';

const LIFETIME_MS = 3000;
const BURST_MS = 1500;
/** Gaps alternate: longer than a lane's linger (lanes go back to the pool), and shorter. */
const GAPS_MS = [2500, 400];
const WORKERS = 8;

const durationMs = Number(process.env.STRONGBOX_SOAK_MS);
const backend = await createPostgresBackend({
  url: process.env.STRONGBOX_SOAK_URL,
  table: `soak_${process.pid}`,
  max: 2, // one lane: a zombie handed back is the pool's only open connection
  maxLifetime: LIFETIME_MS,
  purgeInterval: 0,
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const stats = { calls: 0, failures: [], slowestCallMs: 0, slowestOwnQueryMs: 0, bursts: 0 };

async function timed(call, slowest) {
  const started = performance.now();
  try {
    await call();
  } catch (error) {
    if (stats.failures.length < 5) {
      stats.failures.push(
        `${error.code} ${error.message} (${Math.round(performance.now() - started)} ms)`,
      );
    } else stats.failures.push('');
  }
  const ms = performance.now() - started;
  stats[slowest] = Math.max(stats[slowest], ms);
}

async function worker(w, until) {
  for (let i = 0; performance.now() < until; i++) {
    const key = `w${w}:${i % 10}`;
    const ops = [
      () => backend.set(key, `v${i}`, { ttl: 60_000 }),
      () => backend.get(key),
      () => backend.checkAndSet(key, `v${i}`, `v${i + 1}`),
      () => backend.increment(`w${w}:n`),
    ];
    stats.calls += 1;
    await timed(ops[i % ops.length], 'slowestCallMs');
  }
}

const end = performance.now() + durationMs;
for (let burst = 0; performance.now() < end; burst++) {
  const until = performance.now() + BURST_MS;
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w, until)));
  stats.bursts += 1;
  await sleep(GAPS_MS[burst % GAPS_MS.length]);
  // The client's own queries, now and then (they open pool connections that a lane opening
  // could take instead of a zombie): every pool slot must answer at once.
  if (burst % 4 === 3) {
    await timed(
      () => Promise.all(Array.from({ length: 2 }, () => backend.sql`SELECT pg_sleep(0.05)`)),
      'slowestOwnQueryMs',
    );
  }
}
await backend.sql.unsafe(`DROP TABLE IF EXISTS ${backend.table}`);
await backend.close();
stats.failures = stats.failures
  .filter((f, i) => i < 5 || f !== '')
  .concat(stats.failures.length > 5 ? [`... ${stats.failures.length} in all`] : []);
console.log(JSON.stringify({ ...stats, closedAt: performance.now() }));
