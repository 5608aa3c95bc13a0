import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chown, mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import {
  initdbArguments,
  POSTGRES_USER,
  postgresUrl,
  randomPassword,
  serverArguments,
} from './postgres-settings.js';
import type { PostgresServerControls } from './postgres-types.js';
import {
  isRunning,
  killOnExit,
  type RunAs,
  runCommand,
  waitForExit,
  waitUntil,
} from './process-utils.js';

const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 30_000;

/**
 * A throwaway PostgreSQL cluster in `dir`, run from the server binaries of this machine
 * (`pg_config --bindir`, else `PATH`) as a child process on a free loopback port. PostgreSQL
 * refuses to run as root, so as root the tools run as the `postgres` OS user, who owns `dir`.
 */
export class LocalPostgresServer implements PostgresServerControls {
  readonly host = HOST;
  readonly port: number;
  readonly url: string;
  readonly #binDir: string;
  readonly #runAs: RunAs;
  readonly #dir: string;
  readonly #dataDir: string;
  readonly #paused = new Set<number>();
  readonly #durable: boolean;
  #child: ChildProcess | undefined;

  private constructor(
    binDir: string,
    runAs: RunAs,
    dir: string,
    port: number,
    password: string,
    durable: boolean,
  ) {
    this.#durable = durable;
    this.#binDir = binDir;
    this.#runAs = runAs;
    this.#dir = dir;
    this.#dataDir = join(dir, 'data');
    this.port = port;
    this.url = postgresUrl(HOST, port, password);
  }

  /** Create a cluster in `dir` (an empty directory) and start it (`durable`: see `serverArguments`). */
  static async start(dir: string, durable = false): Promise<LocalPostgresServer> {
    const binDir = await findBinDir();
    const runAs = await serverUser(dir);
    const password = randomPassword();
    const passwordFile = join(dir, 'password');
    await writeFile(passwordFile, password, { mode: 0o600 });
    if (runAs.uid !== undefined) await chown(passwordFile, runAs.uid, runAs.gid ?? -1);
    await runCommand(
      join(binDir, 'initdb'),
      initdbArguments(join(dir, 'data'), passwordFile),
      60_000,
      runAs,
    );
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const port = await freePort();
      const server = new LocalPostgresServer(binDir, runAs, dir, port, password, durable);
      try {
        await server.restart();
        return server;
      } catch (error) {
        lastError = error; // most likely the port was taken meanwhile: try another
        await server.crash();
      }
    }
    throw lastError;
  }

  /** The postmaster's process id while it runs. */
  get pid(): number | undefined {
    return this.#child !== undefined && isRunning(this.#child) ? this.#child.pid : undefined;
  }

  async restart(): Promise<void> {
    if (this.pid !== undefined) throw new Error(`postgres on port ${this.port} is still running`);
    const log = await open(join(this.#dir, 'postgres.log'), 'a');
    const args = [
      '-D',
      this.#dataDir,
      ...serverArguments(HOST, this.port, this.#dir, this.#durable),
    ];
    const child = spawn(join(this.#binDir, 'postgres'), args, {
      ...this.#runAs,
      stdio: ['ignore', log.fd, log.fd],
    });
    await log.close();
    this.#child = child;
    killOnExit(child);
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    try {
      await waitUntil(
        `postgres on port ${this.port}`,
        async () => {
          if (spawnError) throw spawnError;
          if (!isRunning(child)) {
            throw new Error(`postgres exited (${child.signalCode ?? child.exitCode})`);
          }
          return this.#isReady(child.pid);
        },
        READY_TIMEOUT_MS,
      );
    } catch (error) {
      throw await this.#withLog(error);
    }
  }

  /** Fast shutdown (SIGINT, what `pg_ctl -m fast` sends). */
  async shutdown(): Promise<void> {
    await this.#stopWith('SIGINT');
  }

  /** Immediate shutdown (SIGQUIT, what `pg_ctl -m immediate` sends): a crash. */
  async crash(): Promise<void> {
    await this.#stopWith('SIGQUIT');
  }

  async pauseProcess(pid: number): Promise<void> {
    process.kill(pid, 'SIGSTOP');
    this.#paused.add(pid);
  }

  async resumeProcess(pid: number): Promise<void> {
    this.#paused.delete(pid);
    process.kill(pid, 'SIGCONT');
  }

  async #stopWith(signal: NodeJS.Signals): Promise<void> {
    // A frozen backend would keep the postmaster waiting for it.
    for (const pid of [...this.#paused]) await this.resumeProcess(pid).catch(() => undefined);
    const child = this.#child;
    if (child === undefined || !isRunning(child)) return;
    child.kill(signal);
    await waitForExit(child, 15_000);
  }

  /** True once the postmaster `pid` reports "ready" in its lock file. */
  async #isReady(pid: number | undefined): Promise<boolean> {
    const lockFile = await readFile(join(this.#dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
    const lines = lockFile.split('\n');
    return lines[0] === String(pid) && lines[7]?.trim() === 'ready';
  }

  /** `error` with the tail of the server's log appended, to explain a failed start. */
  async #withLog(error: unknown): Promise<unknown> {
    const log = await readFile(join(this.#dir, 'postgres.log'), 'utf8').catch(() => '');
    const tail = log.trim().split('\n').slice(-5).join('\n');
    if (!tail || !(error instanceof Error)) return error;
    return new Error(`${error.message}\npostgres log:\n${tail}`, { cause: error });
  }
}

/** The folder of `initdb` and `postgres`: `pg_config --bindir` when it has them, else PATH. */
async function findBinDir(): Promise<string> {
  const fromPgConfig = (await runCommand('pg_config', ['--bindir']).catch(() => '')).trim();
  if (fromPgConfig && (await isExecutable(join(fromPgConfig, 'initdb')))) return fromPgConfig;
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if ((await isExecutable(join(dir, 'initdb'))) && (await isExecutable(join(dir, 'postgres')))) {
      return dir;
    }
  }
  throw new Error('initdb and postgres not found (neither in `pg_config --bindir` nor on PATH)');
}

/**
 * As root, the `postgres` OS user (PostgreSQL will not run as root), made owner of `dir`;
 * otherwise the current user.
 */
async function serverUser(dir: string): Promise<RunAs> {
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) return { cwd: dir };
  const id = async (flag: string) => Number((await runCommand('id', [flag, POSTGRES_USER])).trim());
  let uid: number;
  let gid: number;
  try {
    [uid, gid] = [await id('-u'), await id('-g')];
  } catch {
    throw new Error(`running as root and there is no "${POSTGRES_USER}" OS user to run the server`);
  }
  await chown(dir, uid, gid);
  return { uid, gid, cwd: dir };
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}
