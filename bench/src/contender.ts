/**
 * Who performs the operations: Strongbox itself or one of the baselines it is compared with.
 * `raw` uses the adapter's exact driver settings; `raw-pipelined` (Postgres only) is porsager
 * tuned for steady throughput (`max_pipeline: 1`), the CAS target's reference. `keyv` is Keyv 5,
 * `keyv6` Keyv 6 (Redis only, on Node ≥ 22.19).
 */
export type ContenderKind =
  | 'strongbox'
  | 'raw'
  | 'raw-pipelined'
  | 'keyv'
  | 'keyv6'
  | 'unstorage'
  | 'map';

/** The operations the harness times. */
export type OpName = 'get-hit' | 'get-miss' | 'set' | 'set-ttl' | 'cas' | 'cas-hot' | 'delete';

/** Every operation, in the order cells are measured and reported. */
export const OP_NAMES: readonly OpName[] = [
  'get-hit',
  'get-miss',
  'set',
  'set-ttl',
  'cas',
  'cas-hot',
  'delete',
];

/**
 * One way of storing keys that the harness can time. Each contender works in its own
 * namespace (table, key prefix or instance), so contenders sharing a server never collide.
 */
export interface Contender {
  readonly kind: ContenderKind;
  /** What exactly runs, e.g. `porsager postgres, max_pipeline 1`. */
  readonly description: string;
  /** The operations this contender has; the others are not measured for it. */
  readonly ops: ReadonlySet<OpName>;
  get(key: string): Promise<unknown>;
  /** Store `value`; `ttlMs` omitted means no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<unknown>;
  /** Atomic check-and-set; required when `ops` has `cas` or `cas-hot`. */
  checkAndSet(key: string, expected: string | null, next: string): Promise<boolean>;
  delete(key: string): Promise<unknown>;
  /** Write `keys` with `value` in bulk, outside any measurement. */
  seed(keys: readonly string[], value: string): Promise<void>;
  /** Remove `keys` in bulk, outside any measurement. */
  unseed(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The ops Keyv takes part in: what it has, except a second get (the miss) that the hit covers.
 * unstorage also skips set-ttl: its TTL is whole seconds (EX), not comparable.
 */
export const KEYV_OPS: ReadonlySet<OpName> = new Set(['get-hit', 'set', 'set-ttl', 'delete']);
export const UNSTORAGE_OPS: ReadonlySet<OpName> = new Set(['get-hit', 'set', 'delete']);
/** Every op. */
export const ALL_OPS: ReadonlySet<OpName> = new Set(OP_NAMES);

/** The `checkAndSet` of a contender that has none; never called because `ops` excludes CAS. */
export function noCheckAndSet(): Promise<boolean> {
  return Promise.reject(new Error('this contender has no check-and-set'));
}
