/** Where a test PostgreSQL server came from, in the order they are tried. */
export type PostgresSource = 'env' | 'docker' | 'local';

/** Fault controls of a PostgreSQL server the tests started themselves (never of an env one). */
export interface PostgresServerControls {
  readonly host: string;
  readonly port: number;
  /** Stop cleanly (fast shutdown): clients see their connections close, new ones are refused. */
  shutdown(): Promise<void>;
  /**
   * Crash: immediate shutdown (what `pg_ctl -m immediate` does), no checkpoint. The next
   * `restart()` runs crash recovery: logged tables keep acknowledged commits, UNLOGGED ones
   * come back empty.
   */
  crash(): Promise<void>;
  /** Start again on the same port with the same data, after `shutdown()` or `crash()`. */
  restart(): Promise<void>;
  /** Freeze one server process (SIGSTOP), e.g. a backend found in `pg_stat_activity.pid`. */
  pauseProcess(pid: number): Promise<void>;
  /** Thaw a process frozen by {@link PostgresServerControls.pauseProcess} (SIGCONT). */
  resumeProcess(pid: number): Promise<void>;
}

/** A PostgreSQL server for tests. */
export interface PostgresService {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  readonly source: PostgresSource;
  /** Present unless the server came from `TEST_POSTGRES_URL`. */
  readonly controls?: PostgresServerControls;
  /** Stop what was started and delete its data (nothing for an env-provided server). */
  stop(): Promise<void>;
}

/** A PostgreSQL server the tests own: fault injection is allowed. */
export interface ThrowawayPostgresService extends PostgresService {
  readonly controls: PostgresServerControls;
}

/** Options of `startPostgres`. */
export interface StartPostgresOptions {
  /**
   * Ignore `TEST_POSTGRES_URL` and start a server of our own, for tests that stop, crash or
   * pause it.
   */
  throwaway?: boolean;
  /**
   * Start it with PostgreSQL's stock durability settings (`fsync` on, stock `shared_buffers`)
   * instead of the fast test settings, for benchmarks (default false). Ignored for a server
   * from `TEST_POSTGRES_URL`.
   */
  durable?: boolean;
}
