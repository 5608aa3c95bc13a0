import type { AdapterName } from '../config.js';
import type { ContenderKind, OpName } from '../contender.js';
import type { BenchRecord } from '../records.js';
import type { RunContext } from '../run-context.js';

/** One performance target and whether this run met it. */
export interface TargetCheck {
  target: string;
  status: 'met' | 'missed' | 'not measured';
  detail: string;
}

const NETWORKED: readonly AdapterName[] = ['postgres', 'redis', 'redis-cluster'];
/** Ops that are one independent call each; the hot-key loop is serialized by design. */
const SINGLE_CALL_OPS: readonly OpName[] = [
  'get-hit',
  'get-miss',
  'set',
  'set-ttl',
  'cas',
  'delete',
];

/** Check every target against the run's records and extras. */
export function checkTargets(records: readonly BenchRecord[], context: RunContext): TargetCheck[] {
  const find = (adapter: AdapterName, op: OpName, concurrency: number, contender: ContenderKind) =>
    records.find(
      (r) =>
        r.adapter === adapter &&
        r.op === op &&
        r.concurrency === concurrency &&
        r.contender === contender,
    );
  const checks: TargetCheck[] = [];

  for (const adapter of NETWORKED) {
    const rows = records.filter(
      (r) => r.adapter === adapter && r.contender === 'raw' && r.op !== 'cas-hot',
    );
    const low = rows.filter((r) => !(ratioOf(r) >= 0.9));
    checks.push(
      verdict(
        `${adapter}: every op ≥ 0.9× the raw driver (same driver settings), c1 and c64`,
        rows.length,
        low.length === 0,
        low.length === 0
          ? `lowest ${lowest(rows)}`
          : `below: ${low.map((r) => `${r.op} c${r.concurrency} ${times(r.ratio)}`).join(', ')}`,
      ),
    );
  }

  const ratioTarget = (
    target: string,
    pairs: [AdapterName, OpName, ContenderKind][],
    minimum: number,
  ) => {
    const rows = pairs.map(([adapter, op, contender]) => find(adapter, op, 64, contender));
    const measured = rows.filter((r): r is BenchRecord => r !== undefined);
    checks.push(
      verdict(
        target,
        measured.length === rows.length ? measured.length : 0,
        measured.every((r) => ratioOf(r) >= minimum),
        measured.map((r) => `${r.op} ${times(r.ratio)}`).join(', '),
      ),
    );
  };
  ratioTarget(
    'postgres c64: get and set ≥ 1.5× Keyv (@keyv/postgres)',
    [
      ['postgres', 'get-hit', 'keyv'],
      ['postgres', 'set', 'keyv'],
    ],
    1.5,
  );
  // `raw` is already porsager with max_pipeline 1 when the adapter uses it; then there is no
  // separate `raw-pipelined` contender.
  const pipelinedCas = find('postgres', 'cas', 64, 'raw-pipelined') ? 'raw-pipelined' : 'raw';
  ratioTarget(
    `postgres c64: CAS ≥ 0.9× raw porsager with max_pipeline 1 (${pipelinedCas})`,
    [['postgres', 'cas', pipelinedCas]],
    0.9,
  );

  for (const sustained of context.extras.postgres?.sustained?.filter(
    (s) => s.contender === 'strongbox',
  ) ?? []) {
    checks.push(
      verdict(
        `postgres c${sustained.concurrency} sustained: last window ≥ 0.9× first (5 s windows of 30 s in full mode)`,
        1,
        sustained.lastToFirst >= 0.9,
        `${Math.round(sustained.firstWindowOpsPerSec)} → ${Math.round(sustained.lastWindowOpsPerSec)} ops/s (${sustained.lastToFirst.toFixed(2)}×)`,
      ),
    );
  }

  for (const adapter of ['redis', 'redis-cluster'] as const) {
    ratioTarget(
      `${adapter} c64: get and set ≥ 1.0× Keyv (@keyv/redis)`,
      [
        [adapter, 'get-hit', 'keyv'],
        [adapter, 'set', 'keyv'],
      ],
      1.0,
    );
    ratioTarget(`${adapter} c64: CAS ≥ 0.95× raw ioredis Lua CAS`, [[adapter, 'cas', 'raw']], 0.95);
  }

  for (const adapter of NETWORKED) {
    const rows = records.filter(
      (r) =>
        r.adapter === adapter &&
        r.contender === 'raw' &&
        r.concurrency === 64 &&
        SINGLE_CALL_OPS.includes(r.op),
    );
    const off = rows.filter((r) => Math.abs((r.roundTripsPerOp ?? Number.NaN) - 1) > 0.02);
    checks.push(
      verdict(
        `${adapter}: exactly one round trip per operation`,
        rows.length,
        off.length === 0,
        off.length === 0
          ? 'every op 1.00'
          : off.map((r) => `${r.op} ${r.roundTripsPerOp?.toFixed(2)}`).join(', '),
      ),
    );
  }

  for (const adapter of NETWORKED) {
    const scaling = SINGLE_CALL_OPS.flatMap((op) => {
      const c1 = find(adapter, op, 1, 'raw');
      const c64 = find(adapter, op, 64, 'raw');
      return c1 && c64 ? [{ op, factor: c64.opsPerSec / c1.opsPerSec }] : [];
    });
    const low = scaling.filter((s) => !(s.factor >= 3));
    checks.push(
      verdict(
        `${adapter}: c64 ≥ 3× c1 throughput on distinct keys`,
        scaling.length,
        low.length === 0,
        (low.length === 0 ? scaling : low).map((s) => `${s.op} ${s.factor.toFixed(1)}×`).join(', '),
      ),
    );
  }

  const memoryCas = [1, 64]
    .map((c) => find('memory', 'cas', c, 'map'))
    .filter((r) => r !== undefined);
  checks.push(
    verdict(
      'memory: checkAndSet ≥ 0.5× the async-Map get+set pair',
      memoryCas.length,
      memoryCas.every((r) => ratioOf(r) >= 0.5),
      memoryCas.map((r) => `c${r.concurrency} ${times(r.ratio)}`).join(', '),
    ),
  );

  const purge = context.extras.postgres?.purgeUnderLoad;
  checks.push(
    verdict(
      'postgres: purgeExpired looping over 1M expired rows (full mode) makes no CAS wait on its locks',
      purge === undefined ? 0 : 1,
      purge?.withPurge.waits.casBlockedByPurge === 0,
      purge === undefined
        ? ''
        : `${purge.withPurge.waits.casBlockedByPurge} of ${purge.withPurge.waits.activeCasObservations} CAS observations blocked by the purge` +
            ` (${purge.expiredRows} expired rows); CAS p99 ${purge.withoutPurge.p99Ms.toFixed(1)} ms alone,` +
            ` ${purge.withPurge.p99Ms.toFixed(1)} ms during purge`,
    ),
  );
  return checks;
}

function verdict(target: string, measured: number, ok: boolean, detail: string): TargetCheck {
  if (measured === 0) return { target, status: 'not measured', detail: 'not part of this run' };
  return { target, status: ok ? 'met' : 'missed', detail };
}

function lowest(rows: readonly BenchRecord[]): string {
  const min = rows.reduce<BenchRecord | undefined>(
    (low, r) => (low === undefined || ratioOf(r) < ratioOf(low) ? r : low),
    undefined,
  );
  return min === undefined ? '' : `${min.op} c${min.concurrency} ${times(min.ratio)}`;
}

/** A record's ratio; NaN (failing every comparison) when the contender finished nothing. */
function ratioOf(record: BenchRecord): number {
  return record.ratio ?? Number.NaN;
}

function times(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${ratio.toFixed(2)}×`;
}
