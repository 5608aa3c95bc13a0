import postgres from 'postgres';

/**
 * Checkpoint control for the bench's Postgres. A checkpoint writes every dirty page; a timed
 * one (every `checkpoint_timeout`, 5 min stock) landing inside a measurement slows whichever
 * contender it hits. Forcing one just before a cell's round or a sustained run restarts that
 * timer, so none lands inside: all contenders then run under the same conditions.
 */
export interface Checkpoints {
  /** Force a checkpoint now and wait for it. */
  force(): Promise<void>;
  /** Checkpoints the server has started so far (timed and requested). */
  count(): Promise<number>;
  close(): Promise<void>;
}

export function checkpointsOf(url: string): Checkpoints {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  return {
    async force() {
      await sql`CHECKPOINT`;
    },
    async count() {
      const [row] = await sql<{ n: number }[]>`
        SELECT (checkpoints_timed + checkpoints_req)::int AS n FROM pg_stat_bgwriter`;
      return row?.n ?? 0;
    },
    close: () => sql.end(),
  };
}
