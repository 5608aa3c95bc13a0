import type { TableNames } from './identifiers.js';

/**
 * The SQL of every operation: one statement each, so one round trip once prepared. Time is
 * always the server's `clock_timestamp()` (the moment of evaluation), never `now()` (the
 * transaction's start, stale after a row-lock wait) and never the client's clock. A row is
 * live while `expires_at IS NULL OR expires_at > clock_timestamp()`; expired rows are absent
 * for every statement whether or not a purge removed them yet.
 *
 * Values travel as hex (see `value-codec.ts`). `$ttl` is a TTL in ms, NULL for no expiry.
 */
export interface Statements {
  /** `$1` key → one row `[hex]` when live. */
  get: string;
  /** `$1` key, `$2` value, `$3` ttl, `$4` keep the live row's expiry (then `$3` is NULL). */
  set: string;
  /** checkAndSet(key, null, ...): `$1` key, `$2` value, `$3` ttl → count 1 when written. */
  setIfAbsent: string;
  /** checkAndSet(key, expected, ...): `$1`..`$4` as `set`, `$5` expected → count 1 when written. */
  setIfEqual: string;
  /** `$1` key, `$2` expected → count 1 when deleted. */
  deleteIfEqual: string;
  /** `$1` key → count 1 when a live row was deleted (an expired one is deleted too, uncounted). */
  delete: string;
  /**
   * `$1` key, `$2` delta, `$3` ttl of a created counter → one row `[value, ttl]` (the new value
   * as decimal text; remaining ms, NULL for no expiry), or no row when it wrote nothing (a live
   * value that is not a counter, or a result out of range).
   */
  increment: string;
  /**
   * `$1` key, `$2` delta → why `increment` wrote nothing: one row `['NOT_A_COUNTER']` or
   * `['COUNTER_OVERFLOW']`; a NULL cell or no row when it would succeed now.
   */
  incrementRefusal: string;
  /** `$1` batch size → count of expired rows deleted. */
  purge: string;
}

const EXPIRES = `clock_timestamp() + $3::bigint * interval '1 millisecond'`;
const LIVE = '(t.expires_at IS NULL OR t.expires_at > clock_timestamp())';

/**
 * Counters. A stored value is a counter when its bytes spell a canonical decimal integer
 * (`encode(.., 'escape')` turns U+0000, non-ASCII bytes and backslashes into `\` escapes, so
 * only ASCII digits and `-` can match; `convert_from` would fail on U+0000) within
 * +-(2^53 - 1). The cast to bigint sits inside `CASE WHEN <pattern>` because Postgres does
 * not evaluate `AND` in order; 16 digits always fit a bigint.
 */
const STORED_TEXT = `encode(t.value, 'escape')`;
const CANONICAL = `${STORED_TEXT} ~ '^(0|-?[1-9][0-9]{0,15})$'`;
const SAFE = String(Number.MAX_SAFE_INTEGER);
/** The live row's counter plus the delta; NULL for a value that is not canonical. */
const INCREMENTED = `(CASE WHEN ${CANONICAL} THEN ${STORED_TEXT}::bigint + $2::bigint END)`;
/** True for a counter; false or NULL for any other value. */
const IS_COUNTER = `(CASE WHEN ${CANONICAL} THEN abs(${STORED_TEXT}::bigint) <= ${SAFE} END)`;
/** True for a counter whose incremented value stays a safe integer; else false or NULL. */
const INCREMENTABLE = `(${IS_COUNTER} AND abs(${INCREMENTED}) <= ${SAFE})`;
/**
 * The one clock reading of an increment's update path. A CTE is evaluated when first read, and
 * only the ON CONFLICT clauses and RETURNING read it, so it is taken after the row lock is
 * held (a row-lock wait cannot make it stale), and every reference sees the same instant.
 */
const NOW = '(SELECT at FROM now)';
const LIVE_AT_NOW = `(t.expires_at IS NULL OR t.expires_at > ${NOW})`;

/** The statements for one table. */
export function statementsFor({ table }: Pick<TableNames, 'table'>): Statements {
  return {
    get: `SELECT encode(t.value, 'hex') FROM ${table} AS t WHERE t.key = $1 AND ${LIVE}`,

    set: `INSERT INTO ${table} AS t (key, value, expires_at)
VALUES ($1, decode($2, 'hex'), ${EXPIRES})
ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = CASE
  WHEN $4::boolean THEN CASE WHEN t.expires_at > clock_timestamp() THEN t.expires_at END
  ELSE ${EXPIRES} END`,

    // Replaces an expired row (not yet purged) in place; a live row makes it write nothing.
    setIfAbsent: `INSERT INTO ${table} AS t (key, value, expires_at)
VALUES ($1, decode($2, 'hex'), ${EXPIRES})
ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = ${EXPIRES}
WHERE t.expires_at <= clock_timestamp()`,

    setIfEqual: `UPDATE ${table} AS t SET value = decode($2, 'hex'),
  expires_at = CASE WHEN $4::boolean THEN t.expires_at ELSE ${EXPIRES} END
WHERE t.key = $1 AND t.value = decode($5, 'hex') AND ${LIVE}`,

    deleteIfEqual: `DELETE FROM ${table} AS t
WHERE t.key = $1 AND t.value = decode($2, 'hex') AND ${LIVE}`,

    // Counted through a SELECT so the answer is the row count, immune to row transforms.
    delete: `WITH removed AS (DELETE FROM ${table} AS t WHERE t.key = $1 RETURNING t.expires_at)
SELECT 1 FROM removed AS t WHERE ${LIVE}`,

    // An absent key is inserted (its own clock_timestamp() is the only reading it needs). A
    // live counter is incremented keeping its expiry; an expired row of any value is replaced
    // by a new counter. Liveness is decided once, from one reading, for both columns and for
    // RETURNING. A live non-counter or an out-of-range result fails the WHERE: no row is
    // written or returned.
    increment: `WITH now AS MATERIALIZED (SELECT clock_timestamp() AS at)
INSERT INTO ${table} AS t (key, value, expires_at)
VALUES ($1, convert_to($2::bigint::text, 'UTF8'), ${EXPIRES})
ON CONFLICT (key) DO UPDATE SET
  value = CASE WHEN ${LIVE_AT_NOW} THEN convert_to(${INCREMENTED}::text, 'UTF8') ELSE excluded.value END,
  expires_at = CASE WHEN ${LIVE_AT_NOW} THEN t.expires_at
    ELSE ${NOW} + $3::bigint * interval '1 millisecond' END
WHERE t.expires_at <= ${NOW} OR ${INCREMENTABLE}
RETURNING ${STORED_TEXT}, CASE WHEN t.expires_at IS NOT NULL
  THEN greatest(1, ceil(extract(epoch FROM t.expires_at - ${NOW}) * 1000))::bigint END`,

    // Read after an increment wrote nothing; the value may have changed since, so a live key
    // the increment would now succeed on answers NULL (and the caller tries again).
    incrementRefusal: `SELECT CASE WHEN NOT coalesce(${IS_COUNTER}, false) THEN 'NOT_A_COUNTER'
  WHEN NOT ${INCREMENTABLE} THEN 'COUNTER_OVERFLOW' END
FROM ${table} AS t WHERE t.key = $1 AND ${LIVE}`,

    // Candidates come from the expiry index, locked so concurrent purges split the work
    // (SKIP LOCKED) instead of waiting. The DELETE re-checks expiry on the row it deletes:
    // a key that a concurrent write re-created meanwhile is live again and stays. (`= ANY`
    // of an array keeps the DELETE on the primary key instead of a hash join over the table.)
    purge: `WITH expired AS (
  SELECT c.key FROM ${table} AS c
  WHERE c.expires_at <= (SELECT clock_timestamp())
  ORDER BY c.expires_at LIMIT $1::integer
  FOR UPDATE SKIP LOCKED
)
DELETE FROM ${table} AS t
WHERE t.key = ANY (ARRAY(SELECT key FROM expired)) AND t.expires_at <= clock_timestamp()`,
  };
}
