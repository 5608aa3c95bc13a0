import type postgres from 'postgres';

/** What the sampler saw of the CAS connections while it ran. */
export interface WaitSamples {
  samples: number;
  /** Observations of a CAS connection running a statement. */
  activeCasObservations: number;
  /** ... of which waiting for a heavyweight lock (`wait_event_type = 'Lock'`). */
  casLockWaits: number;
  /** ... of which blocked by a purge connection (`pg_blocking_pids`). */
  casBlockedByPurge: number;
  /** Ungranted `pg_locks` entries of CAS connections. */
  ungrantedCasLocks: number;
  /** Observations per `wait_event_type:wait_event` of active CAS connections. */
  waitEvents: Record<string, number>;
}

/** A running sampler; `stop()` resolves what it saw. */
export interface LockSampler {
  stop(): Promise<WaitSamples>;
}

/**
 * Sample `pg_stat_activity` and `pg_locks` every `intervalMs` through `monitor` (its own
 * connection): what the CAS connections (`application_name` = `casApp`) wait for, and whether
 * a purge connection (`purgeApp`) blocks any of them.
 */
export function startLockSampler(
  monitor: postgres.Sql<Record<string, never>>,
  casApp: string,
  purgeApp: string,
  intervalMs: number,
): LockSampler {
  const seen: WaitSamples = {
    samples: 0,
    activeCasObservations: 0,
    casLockWaits: 0,
    casBlockedByPurge: 0,
    ungrantedCasLocks: 0,
    waitEvents: {},
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await monitor<
        {
          waitType: string | null;
          waitEvent: string | null;
          blockedByPurge: boolean;
          ungranted: number;
        }[]
      >`
        SELECT w.wait_event_type AS "waitType", w.wait_event AS "waitEvent",
          EXISTS (SELECT 1 FROM pg_stat_activity b
                  WHERE b.pid = ANY (pg_blocking_pids(w.pid)) AND b.application_name = ${purgeApp})
            AS "blockedByPurge",
          (SELECT count(*) FROM pg_locks l WHERE l.pid = w.pid AND NOT l.granted)::int AS ungranted
        FROM pg_stat_activity w
        WHERE w.application_name = ${casApp} AND w.state = 'active'`;
      seen.samples++;
      for (const row of rows) {
        seen.activeCasObservations++;
        if (row.waitType === 'Lock') seen.casLockWaits++;
        if (row.blockedByPurge) seen.casBlockedByPurge++;
        seen.ungrantedCasLocks += row.ungranted;
        const event = row.waitType === null ? 'running' : `${row.waitType}:${row.waitEvent}`;
        seen.waitEvents[event] = (seen.waitEvents[event] ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}
