import type { StartedTestContainer } from 'testcontainers';
import { freePort } from './free-port.js';
import { waitForClusterOk } from './local-redis-cluster.js';
import { waitUntil } from './process-utils.js';
import type { RedisNodeAddress, RedisServerControls } from './redis-types.js';
import { redisCommand } from './redis-wire.js';

const IMAGE = 'redis:7.2-alpine';
const READY_TIMEOUT_MS = 10_000;

/** Servers running inside one started container, and how to remove it. */
export interface RedisContainer {
  servers: ContainerRedisServer[];
  stop(): Promise<void>;
}

/**
 * Start `count` Redis servers in one container through testcontainers (imported lazily, so
 * machines without Docker never load it; without an engine it throws within milliseconds).
 * Each server listens on the same port inside and outside the container, so a cluster's
 * announced addresses work from the host, and a restarted server keeps its port.
 */
export async function startRedisContainer(
  count: number,
  cluster: boolean,
): Promise<RedisContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const container = await new GenericContainer(IMAGE)
    .withExposedPorts(...ports.map((port) => ({ container: port, host: port })))
    .withCommand(['sh', '-c', 'exec tail -f /dev/null'])
    .withWaitStrategy(Wait.forSuccessfulCommand('true'))
    .start();
  try {
    const servers = await Promise.all(
      ports.map(async (port) => {
        const busPort = cluster ? await freePort() : undefined;
        const server = new ContainerRedisServer(container, port, busPort);
        await server.restart();
        return server;
      }),
    );
    if (cluster) {
      await execOrThrow(container, [
        'redis-cli',
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await waitForClusterOk(servers);
    }
    return { servers, stop: async () => void (await container.stop()) };
  } catch (error) {
    await container.stop().catch(() => undefined);
    throw error;
  }
}

/** One daemonized `redis-server` inside a container, controlled through `docker exec`. */
class ContainerRedisServer implements RedisServerControls, RedisNodeAddress {
  readonly host: string;
  readonly port: number;
  readonly pid = undefined;
  readonly #container: StartedTestContainer;
  readonly #args: string[];
  readonly #pidFile: string;

  constructor(container: StartedTestContainer, port: number, busPort: number | undefined) {
    this.#container = container;
    this.host = container.getHost();
    this.port = port;
    this.#pidFile = `/tmp/redis-${port}.pid`;
    const dir = `/data/${port}`;
    this.#args = [
      'sh',
      '-c',
      `mkdir -p ${dir} && exec redis-server "$@"`,
      'redis-server',
      '--port',
      String(port),
      '--bind',
      '0.0.0.0',
      '--protected-mode',
      'no',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--pidfile',
      this.#pidFile,
      ...(busPort === undefined
        ? []
        : [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '500',
            '--cluster-port',
            String(busPort),
          ]),
    ];
  }

  async restart(): Promise<void> {
    await execOrThrow(this.#container, this.#args);
    await waitUntil(
      `redis-server on ${this.host}:${this.port} in a container`,
      async () => (await redisCommand(this.host, this.port, ['PING']).catch(() => '')) === 'PONG',
      READY_TIMEOUT_MS,
    );
  }

  async shutdown(): Promise<void> {
    await this.#container.exec([
      'sh',
      '-c',
      `kill -CONT $(cat ${this.#pidFile}); kill $(cat ${this.#pidFile})`,
    ]);
    await waitUntil(
      `redis-server on port ${this.port} to stop`,
      async () => (await this.#container.exec(['test', '-e', this.#pidFile])).exitCode !== 0,
      READY_TIMEOUT_MS,
    );
  }

  async pause(): Promise<void> {
    await execOrThrow(this.#container, ['sh', '-c', `kill -STOP $(cat ${this.#pidFile})`]);
  }

  async resume(): Promise<void> {
    await execOrThrow(this.#container, ['sh', '-c', `kill -CONT $(cat ${this.#pidFile})`]);
  }
}

async function execOrThrow(container: StartedTestContainer, command: string[]): Promise<void> {
  const result = await container.exec(command);
  if (result.exitCode !== 0) {
    throw new Error(`${command.join(' ')} failed in the container: ${result.output.trim()}`);
  }
}
