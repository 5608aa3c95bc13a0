// Sustained overload: many more calls in flight than connections, for a long time.
//
//   pnpm --filter @strongbox/postgres build && node packages/postgres/scripts/overload.mjs [seconds] [concurrency]
//
// Runs the same point read (the adapter's `get` statement) for `seconds` (default 30) with
// `concurrency` (default 64) closed-loop callers on 10 connections, three ways: porsager with
// its defaults, porsager with `max_pipeline: 1`, and the adapter. Prints ops/s per window; a
// client that slows down under overload shows falling windows. Uses TEST_POSTGRES_URL, else
// a throwaway server from @strongbox/test-services.
import { startPostgres } from '@strongbox/test-services';
import postgres from 'postgres';
import { createPostgresBackend } from '../dist/index.js';

const seconds = Number(process.argv[2] ?? 30);
const concurrency = Number(process.argv[3] ?? 64);
const WINDOW_MS = 3000;
const KEYS = 1000;

const server = process.env.TEST_POSTGRES_URL
  ? { url: process.env.TEST_POSTGRES_URL, stop: async () => {} }
  : await startPostgres({ throwaway: true });

/** Run `call` from `concurrency` loops for `seconds`; ops/s per window. */
async function measure(call) {
  const windows = [];
  let count = 0;
  let running = true;
  const timer = setInterval(() => {
    windows.push(Math.round((count * 1000) / WINDOW_MS));
    count = 0;
  }, WINDOW_MS);
  const loop = async (worker) => {
    for (let i = worker; running; i += concurrency) {
      await call(`key${i % KEYS}`);
      count++;
    }
  };
  const loops = Array.from({ length: concurrency }, (_, worker) => loop(worker));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  clearInterval(timer);
  await Promise.all(loops);
  return windows;
}

function report(name, windows) {
  const first = windows[0] ?? 0;
  const last = windows.at(-1) ?? 0;
  const mean = Math.round(windows.reduce((a, b) => a + b, 0) / Math.max(1, windows.length));
  const ratio = first ? (last / first).toFixed(2) : '-';
  console.log(
    `${name.padEnd(34)} mean ${String(mean).padStart(6)} ops/s  last/first ${ratio}  windows ${windows.join(' ')}`,
  );
}

const backend = await createPostgresBackend({
  url: server.url,
  table: 'overload_kv',
  purgeInterval: 0,
});
for (let i = 0; i < KEYS; i++) await backend.set(`key${i}`, `value${i}`);
const getStatement = `SELECT encode(t.value, 'hex') FROM ${backend.table} AS t WHERE t.key = $1 AND (t.expires_at IS NULL OR t.expires_at > clock_timestamp())`;

console.log(
  `${seconds} s per run, ${concurrency} callers, 10 connections, windows of ${WINDOW_MS / 1000} s`,
);
for (const [name, options] of [
  ['porsager defaults', {}],
  ['porsager max_pipeline: 1', { max_pipeline: 1 }],
]) {
  const sql = postgres(server.url, { max: 10, ...options });
  report(name, await measure((key) => sql.unsafe(getStatement, [key], { prepare: true })));
  await sql.end();
}
report('@strongbox/postgres get', await measure((key) => backend.get(key)));
report(
  '@strongbox/postgres checkAndSet',
  await measure((key) => backend.checkAndSet(key, 'x', 'y')),
);

await backend.sql.unsafe(`DROP TABLE ${backend.table}`);
await backend.close();
await server.stop();
