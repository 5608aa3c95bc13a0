import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { isRunning, killOnExit, waitForExit, waitUntil } from './process-utils.js';
import type { RedisServerControls } from './redis-types.js';
import { redisCommand } from './redis-wire.js';

const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 10_000;

/** Extra `redis-server` arguments, given the data port (a cluster node needs a bus port too). */
export type RedisArgs = (port: number) => Promise<string[]> | string[];

/**
 * A throwaway `redis-server` child process on a free loopback port: no persistence, data and
 * log in `dir`. Its controls stop, restart (same port, same dir), freeze and thaw it.
 */
export class LocalRedisServer implements RedisServerControls {
  readonly host = HOST;
  readonly port: number;
  readonly #args: string[];
  readonly #logFile: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string, extraArgs: string[]) {
    this.port = port;
    this.#logFile = join(dir, 'redis.log');
    this.#args = [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--dir',
      dir,
      '--logfile',
      this.#logFile,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      ...extraArgs,
    ];
  }

  /** Start a server in `dir`, retrying on another port if the chosen one was taken meanwhile. */
  static async start(dir: string, extraArgs: RedisArgs = () => []): Promise<LocalRedisServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const port = await freePort();
      const server = new LocalRedisServer(port, dir, await extraArgs(port));
      try {
        await server.restart();
        return server;
      } catch (error) {
        lastError = error;
        await server.shutdown();
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') break; // no binary: no retry
      }
    }
    throw lastError;
  }

  get pid(): number | undefined {
    return this.#child !== undefined && isRunning(this.#child) ? this.#child.pid : undefined;
  }

  async restart(): Promise<void> {
    if (this.#child !== undefined && isRunning(this.#child)) {
      throw new Error(`redis-server on port ${this.port} is still running`);
    }
    const child = spawn('redis-server', this.#args, { stdio: 'ignore' });
    this.#child = child;
    killOnExit(child);
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    try {
      await waitUntil(
        `redis-server on port ${this.port}`,
        async () => {
          if (spawnError) throw spawnError;
          if (!isRunning(child)) {
            throw new Error(
              `redis-server on port ${this.port} exited (${child.signalCode ?? child.exitCode})`,
            );
          }
          return (await redisCommand(HOST, this.port, ['PING']).catch(() => '')) === 'PONG';
        },
        READY_TIMEOUT_MS,
      );
    } catch (error) {
      throw await this.#withLog(error);
    }
  }

  async shutdown(): Promise<void> {
    const child = this.#child;
    if (child === undefined || !isRunning(child)) return;
    child.kill('SIGTERM');
    child.kill('SIGCONT'); // a frozen server only acts on SIGTERM once thawed
    await waitForExit(child);
  }

  async pause(): Promise<void> {
    this.#signal('SIGSTOP');
  }

  async resume(): Promise<void> {
    this.#signal('SIGCONT');
  }

  #signal(signal: NodeJS.Signals): void {
    if (this.#child === undefined || !isRunning(this.#child)) {
      throw new Error(`redis-server on port ${this.port} is not running`);
    }
    this.#child.kill(signal);
  }

  /** `error` with the tail of the server's log appended, to explain a failed start. */
  async #withLog(error: unknown): Promise<unknown> {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return error;
    const log = await readFile(this.#logFile, 'utf8').catch(() => '');
    const tail = log.trim().split('\n').slice(-5).join('\n');
    if (!tail || !(error instanceof Error)) return error;
    return new Error(`${error.message}\nredis-server log:\n${tail}`, { cause: error });
  }
}
