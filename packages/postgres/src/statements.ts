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
  /** `$1` batch size → count of expired rows deleted. */
  purge: string;
}

const EXPIRES = `clock_timestamp() + $3::bigint * interval '1 millisecond'`;
const LIVE = '(t.expires_at IS NULL OR t.expires_at > clock_timestamp())';

/** The statements for one table. */
export function statementsFor({ table }: TableNames): Statements {
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
