import { OP_NAMES, type OpName } from './contender.js';

/** The adapters the harness measures. */
export type AdapterName = 'memory' | 'postgres' | 'redis' | 'redis-cluster';
export const ADAPTER_NAMES: readonly AdapterName[] = [
  'memory',
  'postgres',
  'redis',
  'redis-cluster',
];
/** Concurrencies every cell is measured at. */
export const CONCURRENCIES = [1, 64] as const;

/** How much of everything to measure, and for how long. */
export interface BenchConfig {
  quick: boolean;
  adapters: readonly AdapterName[];
  ops: readonly OpName[];
  /** Rounds per cell: every contender is measured once per round. */
  rounds: number;
  /** Warm-up before each measurement, same workers, not counted. */
  warmupMs(adapter: AdapterName): number;
  /** Length of one measurement. */
  durationMs(adapter: AdapterName, concurrency: number): number;
  /** The sustained Postgres run: its length, of which the first and last 5 s are compared. */
  sustainedMs: number;
  /** Expired rows in the table while `purgeExpired` loops, and the CAS run length with and without. */
  purge: { expiredRows: number; durationMs: number };
  /** Length of the round-trip count per contender and op (through the counting proxy). */
  roundTripMs: number;
  /** Run the adapter-specific measurements (sustained run, purge under load). */
  extras: boolean;
  /**
   * Most keys seeded for one `delete` measurement; beyond them deletes hit an absent key (the
   * share is reported). Memory deletes millions per second, more than is worth seeding.
   */
  maxDeleteKeys: number;
}

/**
 * Full mode keeps each networked measurement at c64 at 10 s or more, so sustained-load effects
 * (porsager's growing connection queue) show; memory reaches steady state at once.
 * Quick mode runs the same cells briefly, one round, for a smoke run under two minutes.
 */
export function parseConfig(argv: readonly string[]): BenchConfig {
  const flags = new Map(
    argv.map((arg) => {
      const [name, value] = arg.replace(/^--/, '').split('=', 2);
      return [name as string, value ?? 'true'];
    }),
  );
  const known = ['quick', 'only', 'ops', 'rounds', 'skip-extras'];
  const unknown = [...flags.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown flag(s): ${unknown.join(', ')}; use --quick, --only=a,b, --ops=x,y, --rounds=N, --skip-extras`,
    );
  }
  const extras = flags.get('skip-extras') !== 'true';
  const quick = flags.get('quick') === 'true';
  const adapters = listFlag(flags.get('only'), ADAPTER_NAMES, 'adapter');
  const ops = listFlag(flags.get('ops'), OP_NAMES, 'op');
  const rounds = Number(flags.get('rounds') ?? (quick ? 1 : 2));
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error('--rounds must be a positive integer');
  if (quick) {
    return {
      quick,
      adapters,
      ops,
      rounds,
      warmupMs: () => 100,
      durationMs: (_adapter, concurrency) => (concurrency === 1 ? 200 : 300),
      sustainedMs: 6_000,
      purge: { expiredRows: 100_000, durationMs: 2_000 },
      roundTripMs: 150,
      extras,
      maxDeleteKeys: 200_000,
    };
  }
  return {
    quick,
    adapters,
    ops,
    rounds,
    warmupMs: (adapter) => (adapter === 'memory' ? 300 : 1_000),
    durationMs: (adapter, concurrency) =>
      adapter === 'memory' ? 2_000 : concurrency === 1 ? 3_000 : 10_000,
    sustainedMs: 30_000,
    purge: { expiredRows: 1_000_000, durationMs: 10_000 },
    roundTripMs: 1_000,
    extras,
    maxDeleteKeys: 2_000_000,
  };
}

function listFlag<T extends string>(
  value: string | undefined,
  all: readonly T[],
  what: string,
): T[] {
  if (value === undefined) return [...all];
  const picked = value.split(',').map((item) => item.trim());
  const wrong = picked.filter((item) => !all.includes(item as T));
  if (wrong.length > 0)
    throw new Error(`unknown ${what}(s) ${wrong.join(', ')}; pick from ${all.join(', ')}`);
  return all.filter((item) => picked.includes(item));
}
