import { randomBytes } from 'node:crypto';

/** The superuser and database every test server is created with. */
export const POSTGRES_USER = 'postgres';

/** A fresh superuser password; tests connect with it, so redaction is exercised for real. */
export function randomPassword(): string {
  return randomBytes(12).toString('hex');
}

/** The connection URL of a test server. */
export function postgresUrl(host: string, port: number, password: string): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@${hostPart}:${port}/${POSTGRES_USER}`;
}

/**
 * `initdb` arguments: password (SCRAM) auth over TCP, trust on the private socket, UTF-8 with
 * the C locale (available everywhere), no fsync while writing the files.
 */
export function initdbArguments(dataDir: string, passwordFile: string): string[] {
  return [
    '-D',
    dataDir,
    '-U',
    POSTGRES_USER,
    `--pwfile=${passwordFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--no-locale',
    '--no-sync',
  ];
}

/**
 * `postgres` server arguments of a disposable test instance. `fsync=off` is safe against a
 * crash of the server process (what the fault tests do), not of the machine; commits stay
 * synchronous, so an acknowledged write on a logged table survives `crash()`. A `durable`
 * instance (for benchmarks) keeps PostgreSQL's stock `fsync` and `shared_buffers` instead.
 */
export function serverArguments(
  listen: string,
  port: number,
  socketDir: string,
  durable = false,
): string[] {
  const common = [
    '-c',
    `listen_addresses=${listen}`,
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    'max_connections=300',
  ];
  return durable ? common : [...common, '-c', 'fsync=off', '-c', 'shared_buffers=32MB'];
}
