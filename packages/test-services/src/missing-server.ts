/** The failure a test run gets when no server of `kind` can be found or started. */
export function missingServerError(
  kind: 'PostgreSQL' | 'Redis' | 'Redis Cluster',
  reasons: string[],
): Error {
  const envName =
    kind === 'PostgreSQL'
      ? 'TEST_POSTGRES_URL'
      : kind === 'Redis'
        ? 'TEST_REDIS_URL'
        : 'TEST_REDIS_CLUSTER_NODES';
  const binaries =
    kind === 'PostgreSQL'
      ? '`initdb` and `postgres` (PostgreSQL server binaries)'
      : '`redis-server` (and `redis-cli` for a cluster)';
  return new Error(
    [
      `No ${kind} server for the tests. Provide one of:`,
      `  1. ${envName} pointing at a running server;`,
      '  2. a Docker engine (testcontainers starts a container);',
      `  3. ${binaries} on PATH, started as throwaway instances on loopback.`,
      'What was tried:',
      ...reasons.map((reason) => `  - ${reason}`),
    ].join('\n'),
  );
}
