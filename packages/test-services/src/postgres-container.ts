import type { StartedTestContainer } from 'testcontainers';
import { freePort } from './free-port.js';
import {
  initdbArguments,
  POSTGRES_USER,
  postgresUrl,
  randomPassword,
  serverArguments,
} from './postgres-settings.js';
import type { PostgresServerControls } from './postgres-types.js';

const IMAGE = 'postgres:15-alpine';
const DATA_DIR = '/tmp/pgdata';
const PASSWORD_FILE = '/tmp/pgpassword';
const LOG_FILE = '/tmp/postgres.log';

/** A server running inside a started container, and how to remove the container. */
export interface PostgresContainer {
  server: ContainerPostgresServer;
  stop(): Promise<void>;
}

/**
 * Start PostgreSQL in a container through testcontainers (imported lazily, so machines
 * without Docker never load it; without an engine it throws quickly). The container only
 * idles; the server inside is created with `initdb` and run with `pg_ctl` through
 * `docker exec`, so it can be stopped, crashed and restarted without losing the container.
 * It listens on the same port inside and outside, so a restarted server keeps its address.
 */
export async function startPostgresContainer(durable = false): Promise<PostgresContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const port = await freePort();
  const container = await new GenericContainer(IMAGE)
    .withExposedPorts({ container: port, host: port })
    .withCommand(['sh', '-c', 'exec tail -f /dev/null'])
    .withWaitStrategy(Wait.forSuccessfulCommand('true'))
    .start();
  try {
    const server = new ContainerPostgresServer(container, port, randomPassword(), durable);
    await server.init();
    await server.restart();
    return { server, stop: async () => void (await container.stop()) };
  } catch (error) {
    await container.stop().catch(() => undefined);
    throw error;
  }
}

/** One PostgreSQL cluster inside a container, controlled through `docker exec`. */
export class ContainerPostgresServer implements PostgresServerControls {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly #container: StartedTestContainer;
  readonly #password: string;
  readonly #paused = new Set<number>();
  readonly #durable: boolean;

  constructor(container: StartedTestContainer, port: number, password: string, durable = false) {
    this.#container = container;
    this.#durable = durable;
    this.host = container.getHost();
    this.port = port;
    this.#password = password;
    this.url = postgresUrl(this.host, port, password);
  }

  /** Create the cluster; connections come through Docker's network, so allow every address. */
  async init(): Promise<void> {
    await this.#exec(['sh', '-c', `printf %s "$PGPW" > ${PASSWORD_FILE}`], {
      PGPW: this.#password,
    });
    await this.#exec(['initdb', ...initdbArguments(DATA_DIR, PASSWORD_FILE)]);
    await this.#exec([
      'sh',
      '-c',
      `echo 'host all all all scram-sha-256' >> ${DATA_DIR}/pg_hba.conf`,
    ]);
  }

  async restart(): Promise<void> {
    // pg_ctl hands -o to a shell, so no glob characters ('*') in it.
    const options = serverArguments('0.0.0.0', this.port, '/tmp', this.#durable).join(' ');
    await this.#exec([
      'pg_ctl',
      '-D',
      DATA_DIR,
      '-w',
      '-t',
      '30',
      '-l',
      LOG_FILE,
      '-o',
      options,
      'start',
    ]);
  }

  async shutdown(): Promise<void> {
    await this.#stop('fast');
  }

  async crash(): Promise<void> {
    await this.#stop('immediate');
  }

  async pauseProcess(pid: number): Promise<void> {
    await this.#exec(['kill', '-STOP', String(pid)], {}, 'root');
    this.#paused.add(pid);
  }

  async resumeProcess(pid: number): Promise<void> {
    this.#paused.delete(pid);
    await this.#exec(['kill', '-CONT', String(pid)], {}, 'root');
  }

  async #stop(mode: 'fast' | 'immediate'): Promise<void> {
    // A frozen backend would keep the postmaster waiting for it.
    for (const pid of [...this.#paused]) await this.resumeProcess(pid).catch(() => undefined);
    await this.#exec(['pg_ctl', '-D', DATA_DIR, '-w', '-m', mode, 'stop']);
  }

  async #exec(command: string[], env: Record<string, string> = {}, user = POSTGRES_USER) {
    const result = await this.#container.exec(command, { user, env });
    if (result.exitCode !== 0) {
      throw new Error(
        `${command[0]} failed in the container (${result.exitCode}): ${result.output}`,
      );
    }
    return result.stdout;
  }
}
