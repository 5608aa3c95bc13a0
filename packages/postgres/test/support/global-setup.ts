import { startPostgres } from '@strongbox/test-services';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup: find or start the PostgreSQL server the tests share (TEST_POSTGRES_URL,
 * Docker, or local binaries), provide its URL as `postgresUrl`, and stop it afterwards. Fails
 * the run with a message naming those three options when none works.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared PostgreSQL server; tests that need to break a server start their own. */
    postgresUrl: string;
  }
}
