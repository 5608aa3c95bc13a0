import { randomUUID } from 'node:crypto';
import type { KVBackend } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { createPostgresBackend } from '@strongbox/postgres';
import { createRedisBackend } from '@strongbox/redis';
import { inject, onTestFinished } from 'vitest';

export type BackendKind = 'memory' | 'postgres' | 'redis' | 'cluster';
export const NETWORKED: readonly BackendKind[] = ['postgres', 'redis', 'cluster'];

/** A namespace (table or key prefix) no other test uses. */
export function uniqueName(label: string): string {
  return `rl_${label}_${randomUUID().slice(0, 8)}`;
}

/**
 * `count` backend objects on one namespace of `kind`, each with its own connections (as separate
 * processes would have), closed when the test ends. Memory backends cannot share data, so for
 * memory it is one object.
 */
export async function sharedBackends(kind: BackendKind, count: number): Promise<KVBackend[]> {
  const name = uniqueName(kind);
  const create = (): Promise<KVBackend> => {
    switch (kind) {
      case 'memory':
        return createMemoryBackend();
      case 'postgres':
        return createPostgresBackend({ url: inject('postgresUrl'), table: name, max: 4 });
      case 'redis':
        return createRedisBackend({ url: inject('redisUrl'), keyPrefix: `${name}:` });
      case 'cluster':
        return createRedisBackend({
          cluster: { nodes: inject('redisClusterNodes') },
          keyPrefix: `${name}:`,
        });
    }
  };
  const first = await create(); // creates the Postgres table before the others check for it
  const rest = await Promise.all(Array.from({ length: kind === 'memory' ? 0 : count - 1 }, create));
  const backends = [first, ...rest];
  onTestFinished(async () => {
    if (kind === 'postgres')
      await (first as unknown as { sql: { unsafe(q: string): Promise<unknown> } }).sql.unsafe(
        `DROP TABLE IF EXISTS "${name}"`,
      );
    await Promise.all(backends.map((b) => b.close()));
  });
  return kind === 'memory' ? Array.from({ length: count }, () => first) : backends;
}

/** {@link sharedBackends} for two clients. */
export async function twoBackends(kind: BackendKind): Promise<[KVBackend, KVBackend]> {
  const [one, two] = await sharedBackends(kind, 2);
  if (one === undefined || two === undefined) throw new Error('sharedBackends made fewer than 2');
  return [one, two];
}
