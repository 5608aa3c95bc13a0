import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure } from './failure-reason.js';
import { LocalPostgresServer } from './local-postgres.js';
import { missingServerError } from './missing-server.js';
import { startPostgresContainer } from './postgres-container.js';
import type {
  PostgresService,
  StartPostgresOptions,
  ThrowawayPostgresService,
} from './postgres-types.js';

/**
 * A PostgreSQL server for tests, found in DESIGN.md's order: `TEST_POSTGRES_URL` (unless
 * `throwaway`), a Docker engine through testcontainers, then this machine's server binaries
 * (`initdb`/`postgres`) as a throwaway cluster on a free loopback port. Throws an error naming
 * all three options when none works. Servers started here connect with a password.
 */
export function startPostgres(
  options: StartPostgresOptions & { throwaway: true },
): Promise<ThrowawayPostgresService>;
export function startPostgres(options?: StartPostgresOptions): Promise<PostgresService>;
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresService> {
  const reasons: string[] = [];
  const envUrl = process.env.TEST_POSTGRES_URL;
  if (options.throwaway) {
    reasons.push('TEST_POSTGRES_URL: not used, these tests need a server of their own');
  } else if (envUrl) {
    return { url: envUrl, source: 'env', stop: async () => {} };
  } else {
    reasons.push('TEST_POSTGRES_URL is not set');
  }

  try {
    const { server, stop } = await startPostgresContainer(options.durable);
    return { url: server.url, source: 'docker', controls: server, stop };
  } catch (error) {
    reasons.push(`Docker (testcontainers): ${describeFailure(error)}`);
  }

  const dir = await mkdtemp(join(tmpdir(), 'strongbox-postgres-'));
  try {
    const server = await LocalPostgresServer.start(dir, options.durable);
    const stop = async () => {
      await server.crash(); // the data is deleted next, so nothing needs a clean shutdown
      await rm(dir, { recursive: true, force: true });
    };
    return { url: server.url, source: 'local', controls: server, stop };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    reasons.push(`local server binaries: ${describeFailure(error)}`);
  }
  throw missingServerError('PostgreSQL', reasons);
}
