/**
 * Shows that the memory adapter's footprint follows its live keys: writes 1M keys with a short
 * TTL, lets them expire and the background sweep reclaim them, and renews one lease 100k times.
 *
 *   pnpm --filter @strongbox/memory heap-1m
 *
 * (builds the package and this script, then runs `node --expose-gc scripts/dist/heap-1m.js`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryBackend, type MemoryBackendOptions } from '@strongbox/memory';

const KEYS = 1_000_000;
const TTL_MS = 60_000;
const RENEWALS = 100_000;
const SWEEP_INTERVAL_MS = 100;

/** The adapter plus read-only views of its internals, for reporting. */
class InspectedMemoryBackend extends MemoryBackend {
  constructor(options: MemoryBackendOptions) {
    super(options);
  }
  get storedCount(): number {
    return this.store.size;
  }
  get indexedCount(): number {
    return this.expiries.size;
  }
}

interface Row {
  phase: string;
  stored: number;
  indexed: number;
  heapMiB: number;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

function heapMiB(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function snapshot(phase: string, kv: InspectedMemoryBackend): Row {
  return { phase, stored: kv.storedCount, indexed: kv.indexedCount, heapMiB: heapMiB() };
}

function printTable(title: string, rows: Row[]): void {
  const header = ['phase', 'stored keys', 'index entries', 'heap used'];
  const cells = rows.map((r) => [
    r.phase,
    r.stored.toLocaleString('en-US'),
    r.indexed.toLocaleString('en-US'),
    `${r.heapMiB.toFixed(1)} MiB`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join(' | ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const c of cells) console.log(line(c));
}

async function expiringKeys(): Promise<void> {
  let now = 0;
  const kv = new InspectedMemoryBackend({ clock: () => now, sweepInterval: SWEEP_INTERVAL_MS });
  const rows = [snapshot('empty backend', kv)];
  for (let i = 0; i < KEYS; i++) await kv.set(`session:${i}`, `token-${i}`, { ttl: TTL_MS });
  rows.push(snapshot(`after ${KEYS.toLocaleString('en-US')} writes`, kv));
  now += TTL_MS; // every key is now expired: absent for reads, awaiting reclamation
  const sweepStart = performance.now();
  while (kv.storedCount > 0) await sleep(10);
  const sweepMs = performance.now() - sweepStart;
  rows.push(snapshot('after expiry + sweep', kv));
  printTable(`${KEYS.toLocaleString('en-US')} keys, ttl ${TTL_MS} ms`, rows);
  console.log(`sweep reclaimed them in ${sweepMs.toFixed(0)} ms of wall time`);
  await kv.close();
}

async function renewedLease(): Promise<void> {
  let now = 0;
  const kv = new InspectedMemoryBackend({ clock: () => now, sweepInterval: SWEEP_INTERVAL_MS });
  await kv.set('lease', 'holder:0', { ttl: 1500 });
  const rows = [snapshot('lease taken', kv)];
  for (let i = 1; i <= RENEWALS; i++) {
    now += 1000; // renewed every second: 100k renewals is about 28 hours
    const renewed = await kv.checkAndSet('lease', `holder:${i - 1}`, `holder:${i}`, { ttl: 1500 });
    if (!renewed) throw new Error(`renewal ${i} lost the lease`);
  }
  rows.push(snapshot(`after ${RENEWALS.toLocaleString('en-US')} renewals`, kv));
  printTable('one lease renewed every second (ttl 1500 ms)', rows);
  await kv.close();
}

await expiringKeys();
await renewedLease();
