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

/** Ops that carry the c64 targets (vs Keyv, vs raw CAS): measured in two sittings in full mode. */
const TARGET_OPS: readonly OpName[] = ['get-hit', 'set', 'cas'];

/** How much of everything to measure, and for how long. */
export interface BenchConfig {
  quick: boolean;
  /** Write the results into the repository (bench/results, docs/benchmarks.md), not .tmp/bench. */
  save: boolean;
  adapters: readonly AdapterName[];
  ops: readonly OpName[];
  /**
   * Sittings of a cell in each process: every contender is warmed up and then measured in
   * {@link BenchConfig.roundsPerSitting} rounds, one window per contender each.
   */
  sittings(adapter: AdapterName, op: OpName, concurrency: number): number;
  /** Rounds of one sitting (see {@link quickSitting}). */
  roundsPerSitting(adapter: AdapterName, op: OpName, concurrency: number): number;
  /**
   * Processes an adapter's cells are measured in, one after another, their rounds pooled:
   * each process's JIT settles its own way (see {@link QUICK_PROCESSES}).
   */
  processes(adapter: AdapterName): number;
  /** Whether the adapter's cells take turns sitting by sitting (see {@link interleavesCells}). */
  interleaved(adapter: AdapterName): boolean;
  /** Warm-up before a contender's first window of a sitting, same workers, not counted. */
  warmupMs(adapter: AdapterName, concurrency: number): number;
  /** Length of one measurement window. */
  durationMs(adapter: AdapterName, op: OpName, concurrency: number): number;
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
 * A quick networked sitting: after each contender's warm-up, rounds of 50 ms windows, the
 * contenders alternating (forward, then backward), each later window after a re-warm-up of at
 * least {@link REWARM_MS} that refills the workers' pipelines (see `rewarmMs` in
 * measure-cell). One window per contender and sitting, as quick mode had until 2026-12-02, put a contender's warm-up and garbage collection between the two sides of a
 * ratio: one round's ratio varied 5–12 % on a quiet day and 24–27 % on a noisy one, and two
 * quick runs disagreed beyond ±10 % on 27–32 of 108 rows. Measured on Redis `get` (2026-12-02,
 * 24 rounds each way, alternating): at c1 the machine stalls a loop for about 20 ms a few times
 * a second, one 50 ms window in ten, and the per-round ratio of adjacent 50 ms windows varied
 * 3.0 % against 10.5 % for the old rounds (Strongbox against itself: a window pair's ratio
 * mostly within 0.97–1.05). At c64 a 50 ms window's rate itself varies about 20 % (the server
 * and 64 workers sharing two cores), so c64 sittings hold ten rounds. `cas-hot` c64 takes 50–120
 * ms per increment (64 callers on one key), too long for 50 ms windows: it keeps one 400 ms
 * window per sitting.
 */
export function quickSitting(
  op: OpName,
  concurrency: number,
): { rounds: number; windowMs: number } {
  if (op === 'cas-hot' && concurrency > 1) return { rounds: 1, windowMs: 400 };
  return { rounds: concurrency === 1 ? 6 : 10, windowMs: 50 };
}

/**
 * Least warm-up before every window of a sitting but a contender's first: longer where three
 * operations of every worker take longer (see {@link quickSitting}).
 */
export const REWARM_MS = 10;

/**
 * Processes an adapter's cells run in, one after another, their rounds pooled, and each cell's
 * sittings in one process. Within one process the rounds of a cell agree closely, but each
 * process's JIT settles its own way, and so do the contenders' speeds wherever the client's CPU
 * is the limit: three quick runs in a row (2026-12-02) gave memory `cas` c1 ÷ Map 1.56×, 1.54×
 * and 1.44×, and six one-process runs of Redis `get` c64 gave Strongbox ÷ Keyv 1.13×, 1.38×,
 * 1.40×, 1.46×, 1.04× and 1.31×, each ±4–8 % (standard error within its process), where a c1
 * ratio moved by a few percent. Any one process is a single draw of that; pooling rounds from
 * several makes the median a middle draw. A networked sitting is also a draw of the machine's
 * state: on Redis, ten sittings of a cell in one process varied about as much as ten in
 * separate processes (10–13 % against 11–13 %, 2026-12-02), so each sitting counts wherever it
 * runs, and the ratio's error shrinks only with more of them (see bench/README.md). Quick mode:
 * memory 5 processes, networked adapters 10 (a fresh server each, 5–10 s to start), each of
 * {@link QUICK_SITTINGS} sittings. Full mode: memory 3 of 2, networked adapters one process.
 */
export const QUICK_PROCESSES = { memory: 5, networked: 10 } as const;
const FULL_MEMORY_PROCESSES = 3;

/**
 * Sittings of every quick cell in each process. A networked sitting's log ratio varies 10–17 %
 * (one standard deviation) with the machine's state, so with one sitting in each of ten
 * processes two runs' rows differed by 5.6 % (root mean square) and 5 of 108 passed ±10 %
 * (2026-12-02). Three sittings bring that to 2.8–3.6 %: two runs back to back agreed within
 * ±10 % on every row of Postgres, Redis and Redis Cluster (bench/results/quick-agreement.txt),
 * at about three times the time (23–26 min an adapter).
 */
const QUICK_SITTINGS = 3;

/**
 * Networked adapters' cells take turns sitting by sitting (sitting 1 of every cell, then
 * sitting 2, …; see `runAdapterCells`): the machine's speed also drifts over minutes (a minute's mean
 * deviation of a measurement from its median moved by ±10–19 % in one quick run, 2026-12-02),
 * and a cell run back to back reads one stretch of it. Memory cells keep their rounds back to
 * back: their rounds already spread over the whole memory run through the pooled processes
 * (see {@link QUICK_PROCESSES}), and interleaving them within a process made two runs agree
 * about as well (root-mean-square difference 9.9 % interleaved, 11.0 % back to back, one pair
 * each on one noisy day) while it scattered a process's `get` c1 rounds wider (0.23–1.54× ÷
 * Map against 0.46–0.73×): every op's code is then re-optimized around the others'.
 */
function interleavesCells(adapter: AdapterName): boolean {
  return adapter !== 'memory';
}

/**
 * Most keys a quick `delete` sitting seeds for a contender. Raw ioredis deletes up to 280k keys/s
 * at c64, 330k in a c64 sitting's 900 ms with the seeding headroom; a cap of 100,000 for a
 * 500 ms measurement left Redis c64 contenders deleting absent keys for up to 13 % of it
 * (2026-12-02), which reads as a faster contender and moved `delete` c64 ratios by up to 40 %
 * between runs.
 */
const QUICK_MAX_DELETE_KEYS = 350_000;

/**
 * Quick mode's warm-ups, chosen from two quick runs back to back on an idle machine
 * (2026-12-02, 60 ms warm-up and 200 ms windows networked): networked c1 windows were bimodal,
 * and a 100 ms-resolution trace showed the slow mode is the time after the forced garbage
 * collection that starts a contender's measurements: a loop needs 100–300 ms (Redis) and up to
 * 600 ms (Postgres c1) to get back to its steady rate, 20–40 ms in memory. So quick mode warms
 * up past that ramp before a contender's first window of a sitting (see {@link quickSitting}).
 */
export function quickWarmupMs(networked: boolean, concurrency: number): number {
  if (!networked) return 50;
  return concurrency === 1 ? 500 : 300;
}

/**
 * Full mode runs each networked measurement at c64 for 10 s, so sustained-load effects
 * (porsager's growing connection queue) show, and stays under about 25 minutes: two sittings of
 * one round for every c1 cell and for the c64 cells that carry targets, one for the other c64
 * cells. Memory reaches steady state at once and runs 1 s, in several processes (see
 * {@link QUICK_PROCESSES}). Quick mode runs networked cells in sittings of short windows (see
 * {@link quickSitting}), three in each of ten processes.
 * `--sittings=N` sets every cell's sittings per process (and no more). Results go to .tmp/bench
 * unless `--save` is given.
 */
export function parseConfig(argv: readonly string[]): BenchConfig {
  const flags = parseFlags(
    argv,
    ['quick', 'save', 'only', 'ops', 'sittings', 'skip-extras'],
    '--quick, --save, --only=a,b, --ops=x,y, --sittings=N, --skip-extras',
  );
  const quick = flags.get('quick') === 'true';
  const save = flags.get('save') === 'true';
  const adapters = listFlag(flags.get('only'), ADAPTER_NAMES, 'adapter');
  const ops = listFlag(flags.get('ops'), OP_NAMES, 'op');
  const sittingsFlag = flags.get('sittings');
  const fixedSittings = sittingsFlag === undefined ? undefined : Number(sittingsFlag);
  if (fixedSittings !== undefined && (!Number.isInteger(fixedSittings) || fixedSittings < 1)) {
    throw new Error('--sittings must be a positive integer');
  }
  const extras = flags.get('skip-extras') !== 'true';
  if (quick) {
    return {
      quick,
      save,
      adapters,
      ops,
      sittings: () => fixedSittings ?? QUICK_SITTINGS,
      roundsPerSitting: (adapter, op, concurrency) =>
        adapter === 'memory' ? 1 : quickSitting(op, concurrency).rounds,
      processes: (adapter) =>
        adapter === 'memory' ? QUICK_PROCESSES.memory : QUICK_PROCESSES.networked,
      interleaved: interleavesCells,
      warmupMs: (adapter, concurrency) => quickWarmupMs(adapter !== 'memory', concurrency),
      durationMs: (adapter, op, concurrency) =>
        adapter === 'memory' ? 200 : quickSitting(op, concurrency).windowMs,
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
    sittings: (adapter, op, concurrency) =>
      fixedSittings ??
      (adapter === 'memory' || concurrency === 1 || TARGET_OPS.includes(op) ? 2 : 1),
    roundsPerSitting: () => 1,
    processes: (adapter) => (adapter === 'memory' ? FULL_MEMORY_PROCESSES : 1),
    interleaved: interleavesCells,
    warmupMs: (adapter) => (adapter === 'memory' ? 200 : 500),
    durationMs: (adapter, _op, concurrency) =>
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
