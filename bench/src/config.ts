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

/** Ops that carry the c64 targets (vs Keyv, vs raw CAS): measured in two rounds in full mode. */
const TARGET_OPS: readonly OpName[] = ['get-hit', 'set', 'cas'];

/** Rounds added to a cell past its planned ones until its ratios are settled. */
export interface RatioSettling {
  /** Rounds in all, at most. */
  maxRounds: number;
  /**
   * The largest standard error of a ratio's median (of the per-round log ratios, so 0.025 is
   * about 2.5 %) that counts as settled.
   */
  standardError: number;
}

/** How much of everything to measure, and for how long. */
export interface BenchConfig {
  quick: boolean;
  /** Write the results into the repository (bench/results, docs/benchmarks.md), not .tmp/bench. */
  save: boolean;
  adapters: readonly AdapterName[];
  ops: readonly OpName[];
  /** Rounds of a cell in each process: every contender is measured once per round. */
  rounds(adapter: AdapterName, op: OpName, concurrency: number): number;
  /**
   * Processes an adapter's cells are measured in, one after another, their rounds pooled.
   * In-process adapters need several: each process's JIT settles its own way (see
   * {@link MEMORY_PROCESSES}).
   */
  processes(adapter: AdapterName): number;
  /** Whether and how far a cell's rounds extend until its ratios settle (see {@link QUICK_SETTLING}). */
  settle(adapter: AdapterName): RatioSettling | undefined;
  /** Whether the adapter's cells take turns round by round (see {@link interleavesCells}). */
  interleaved(adapter: AdapterName): boolean;
  /** Warm-up before each measurement, same workers, not counted. */
  warmupMs(adapter: AdapterName, concurrency: number): number;
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
 * Quick mode's method, chosen from two quick runs back to back on an idle machine
 * (2026-12-02, 5 rounds, 60 ms warm-up and 200 ms windows networked, 30 + 100 ms in memory):
 * 35 of 92 ratio rows moved by more than 10 % between them. Their per-round logs showed why:
 * networked c1 windows were bimodal (Redis 7–9k or 15–20k ops/s, a per-round ratio anywhere
 * from 0.4 to 3), and a 100 ms-resolution trace showed the slow mode is the time after the
 * forced garbage collection that starts every measurement: a loop needs 100–300 ms (Redis) and
 * up to 600 ms (Postgres c1) to get back to its steady rate, 20–40 ms in memory, so a 60 ms
 * warm-up left a varying part of the ramp in the window. Full mode's 500 ms warm-up covers
 * it, and its Redis c1 rounds mostly agree within 1 %. So quick mode warms up past the ramp
 * (500 ms at c1 and 300 ms at c64 on the networked adapters, 50 ms in memory) and keeps
 * windows short: 300 ms at c1, 200 ms at c64 (tens of thousands of calls) and in memory.
 * Once the ramp is out, what is left is load from elsewhere, which alternating pairs and the
 * median handle: seven rounds, so that three disturbed pairs still move no median, and more
 * where the ratios have not settled (see {@link QUICK_SETTLING}).
 */
export const QUICK_ROUNDS = 7;

/**
 * Quick networked cells go on past {@link QUICK_ROUNDS} until every ratio's median has a
 * standard error of at most 2.5 % (so two runs' medians differ by about 3.5 % or less, one
 * standard deviation), 21 rounds at most. One round's ratio varies by 5–12 % on this 2-core
 * machine kind on a quiet day and by 24–27 % on a noisy one (client and servers share the
 * cores; the noise comes in states lasting seconds, which only more rounds average, and in
 * drifts over minutes, which {@link interleavesCells} spreads). On a quiet day seven rounds
 * left 9 of 108 rows of two quick runs more than 10 % apart (2026-12-02); quiet cells stop at
 * seven, Postgres c64 and Redis Cluster cells take more. On noisy days most cells run to 21
 * rounds, about 37 minutes in all: two runs disagreed beyond 10 % on 27 of 108 rows with cells
 * back to back (one round's ratio 10–25 % apart; 47 of the 94 networked rows when cut to seven
 * rounds) and on 32 of 108 with networked cells interleaved (24–27 %), their differences close
 * to the ratios' own standard errors.
 */
export const QUICK_SETTLING: RatioSettling = { maxRounds: 21, standardError: 0.025 };

/**
 * Memory cells run in this many processes, their rounds pooled. Within one process the rounds
 * of a memory cell agree within 1–2 %, but each process's JIT settles its own way: three quick
 * runs in a row (2026-12-02) gave memory `cas` c1 ÷ Map 1.56×, 1.54× and 1.44×, and any one
 * process is a single draw of that. Pooling rounds from several processes makes the median a
 * middle draw. Quick mode: 5 processes of 3 rounds (15 pairs, about 2 minutes, twice what 7
 * rounds in one process took); full mode: 3 of 2.
 */
export const MEMORY_PROCESSES = { quick: 5, full: 3 } as const;
const QUICK_MEMORY_ROUNDS = 3;

/**
 * Networked adapters' cells take turns round by round (round 1 of every cell, then round 2, …;
 * see `runAdapterCells`): the machine's speed also drifts over minutes (a minute's mean
 * deviation of a measurement from its median moved by ±10–19 % in one quick run, 2026-12-02),
 * and a cell run back to back reads one stretch of it. Memory cells keep their rounds back to
 * back: their rounds already spread over the whole memory run through the pooled processes
 * (see {@link MEMORY_PROCESSES}), and interleaving them within a process made two runs agree
 * about as well (root-mean-square difference 9.9 % interleaved, 11.0 % back to back, one pair
 * each on one noisy day) while it scattered a process's `get` c1 rounds wider (0.23–1.54× ÷
 * Map against 0.46–0.73×): every op's code is then re-optimized around the others'.
 */
function interleavesCells(adapter: AdapterName): boolean {
  return adapter !== 'memory';
}

/**
 * Most keys a quick `delete` measurement seeds. Raw ioredis deletes up to 280k keys/s at c64,
 * 180k in a quick measurement's 500 ms with the seeding headroom; the earlier cap of 100,000
 * left Redis c64 contenders deleting absent keys for up to 13 % of a measurement (2026-12-02),
 * which reads as a faster contender and moved `delete` c64 ratios by up to 40 % between runs;
 * with 250,000 a check run left raw at 0 % and Keyv at 1.9 %.
 */
const QUICK_MAX_DELETE_KEYS = 250_000;

/** Quick mode's warm-up: past the slow stretch after each measurement's garbage collection. */
export function quickWarmupMs(networked: boolean, concurrency: number): number {
  if (!networked) return 50;
  return concurrency === 1 ? 500 : 300;
}

/**
 * Full mode runs each networked measurement at c64 for 10 s, so sustained-load effects
 * (porsager's growing connection queue) show, and stays under about 25 minutes: two rounds
 * for every c1 cell and for the c64 cells that carry targets, one for the other c64 cells.
 * Memory reaches steady state at once and runs 1 s, in several processes (see
 * {@link MEMORY_PROCESSES}). Quick mode runs short measurements in seven rounds (see
 * {@link QUICK_ROUNDS}), networked cells more until their ratios settle (see
 * {@link QUICK_SETTLING}). `--rounds=N` sets every cell's rounds per process (and no more). Results go to
 * .tmp/bench unless `--save` is given.
 */
export function parseConfig(argv: readonly string[]): BenchConfig {
  const flags = parseFlags(
    argv,
    ['quick', 'save', 'only', 'ops', 'rounds', 'skip-extras'],
    '--quick, --save, --only=a,b, --ops=x,y, --rounds=N, --skip-extras',
  );
  const quick = flags.get('quick') === 'true';
  const save = flags.get('save') === 'true';
  const adapters = listFlag(flags.get('only'), ADAPTER_NAMES, 'adapter');
  const ops = listFlag(flags.get('ops'), OP_NAMES, 'op');
  const roundsFlag = flags.get('rounds');
  const fixedRounds = roundsFlag === undefined ? undefined : Number(roundsFlag);
  if (fixedRounds !== undefined && (!Number.isInteger(fixedRounds) || fixedRounds < 1)) {
    throw new Error('--rounds must be a positive integer');
  }
  const extras = flags.get('skip-extras') !== 'true';
  if (quick) {
    return {
      quick,
      save,
      adapters,
      ops,
      rounds: (adapter) =>
        fixedRounds ?? (adapter === 'memory' ? QUICK_MEMORY_ROUNDS : QUICK_ROUNDS),
      processes: (adapter) => (adapter === 'memory' ? MEMORY_PROCESSES.quick : 1),
      settle: (adapter) =>
        adapter === 'memory' || fixedRounds !== undefined ? undefined : QUICK_SETTLING,
      interleaved: interleavesCells,
      warmupMs: (adapter, concurrency) => quickWarmupMs(adapter !== 'memory', concurrency),
      durationMs: (adapter, concurrency) => (adapter !== 'memory' && concurrency === 1 ? 300 : 200),
      sustainedMs: 2_000,
      purge: { expiredRows: 100_000, durationMs: 1_500 },
      roundTripMs: 100,
      extras,
      maxDeleteKeys: QUICK_MAX_DELETE_KEYS,
    };
  }
  return {
    quick,
    save,
    adapters,
    ops,
    rounds: (adapter, op, concurrency) =>
      fixedRounds ?? (adapter === 'memory' || concurrency === 1 || TARGET_OPS.includes(op) ? 2 : 1),
    processes: (adapter) => (adapter === 'memory' ? MEMORY_PROCESSES.full : 1),
    settle: () => undefined,
    interleaved: interleavesCells,
    warmupMs: (adapter) => (adapter === 'memory' ? 200 : 500),
    durationMs: (adapter, concurrency) =>
      adapter === 'memory' ? 1_000 : concurrency === 1 ? 1_500 : 10_000,
    sustainedMs: 30_000,
    purge: { expiredRows: 1_000_000, durationMs: 10_000 },
    roundTripMs: 500,
    extras,
    maxDeleteKeys: 2_000_000,
  };
}

/**
 * `--name=value` and `--name` (value `'true'`) arguments by name; throws on a name not in
 * `known`, naming `usage`.
 */
export function parseFlags(
  argv: readonly string[],
  known: readonly string[],
  usage: string,
): Map<string, string> {
  const flags = new Map(
    // A bare `--` (as in `pnpm bench -- --quick`) separates nothing here.
    argv
      .filter((arg) => arg !== '--')
      .map((arg) => {
        const [name, value] = arg.replace(/^--/, '').split('=', 2);
        return [name as string, value ?? 'true'];
      }),
  );
  const unknown = [...flags.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown flag(s): ${unknown.join(', ')}; use ${usage}`);
  return flags;
}

/** The items of a comma-separated flag (all of them when absent), in `all`'s order. */
export function listFlag<T extends string>(
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
