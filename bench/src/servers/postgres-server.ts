import { startPostgres } from '@strongbox/test-services';
import postgres from 'postgres';

/** Settings recorded with the results: the ones that decide write and read cost. */
const RECORDED = [
  'server_version',
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'wal_level',
  'wal_sync_method',
  'shared_buffers',
  'max_connections',
  'autovacuum',
  'checkpoint_timeout',
  'max_wal_size',
];

/** A PostgreSQL server the bench started, with the settings it ran with. */
export interface BenchPostgres {
  url: string;
  settings: Record<string, string>;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL with stock durability (fsync on, synchronous commits). */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const service = await startPostgres({ throwaway: true, durable: true });
  try {
    const sql = postgres(service.url, { max: 1, onnotice: () => undefined });
    try {
      const rows = await sql<{ name: string; setting: string; unit: string | null }[]>`
        SELECT name, setting, unit FROM pg_settings WHERE name = ANY(${RECORDED})`;
      const settings = Object.fromEntries(
        rows.map((row) => [row.name, row.unit ? `${row.setting} ${row.unit}` : row.setting]),
      );
      if (settings.fsync !== 'on') throw new Error('the bench server must run with fsync on');
      return { url: service.url, settings, stop: () => service.stop() };
    } finally {
      await sql.end();
    }
  } catch (error) {
    await service.stop();
    throw error;
  }
}
