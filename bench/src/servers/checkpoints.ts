import postgres from 'postgres';

/**
 * Checkpoint control for the bench's Postgres. A checkpoint writes every dirty page; a timed
 * one (every `checkpoint_timeout`, 5 min stock) landing inside a measurement slows whichever
 * contender it hits. Forcing one restarts that timer, so none lands in the time that follows:
 * all contenders then run under the same conditions. Forced only when due
 * ({@link Checkpoints.clearFor}), not before every round: after each checkpoint the first write
 * to a page logs the whole page, which would otherwise weigh on every round's writes.
 */
export interface Checkpoints {
  /** Force a checkpoint now and wait for it. */
  force(): Promise<void>;
  /**
   * Make sure no timed checkpoint lands in the next `ms` (plus a minute for set-up such as
   * seeding): force one unless the last forced one leaves that much before the timer runs out.
   */
  clearFor(ms: number): Promise<void>;
  /** Checkpoints the server has started so far (timed and requested). */
  count(): Promise<number>;
  close(): Promise<void>;
}

/** Room left for what a round does outside its planned measurements (seeding keys, GC). */
const SET_UP_ALLOWANCE_MS = 60_000;

export function checkpointsOf(url: string): Checkpoints {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  let lastForcedAt = Number.NEGATIVE_INFINITY;
  let timeoutMs: number | undefined;
  const force = async () => {
    // The server restarts its timer as the checkpoint starts, not when it returns.
    const startedAt = performance.now();
    await sql`CHECKPOINT`;
    lastForcedAt = startedAt;
  };
  return {
    force,
    async clearFor(ms) {
      if (timeoutMs === undefined) {
        const [row] = await sql<{ ms: number }[]>`
          SELECT setting::int * 1000 AS ms FROM pg_settings WHERE name = 'checkpoint_timeout'`;
        timeoutMs = row?.ms ?? 0;
      }
      const clearUntil = lastForcedAt + timeoutMs;
      if (performance.now() + ms + SET_UP_ALLOWANCE_MS > clearUntil) await force();
    },
    async count() {
      const [row] = await sql<{ n: number }[]>`
        SELECT (checkpoints_timed + checkpoints_req)::int AS n FROM pg_stat_bgwriter`;
      return row?.n ?? 0;
    },
    close: () => sql.end(),
  };
}
