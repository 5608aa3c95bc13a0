import type { KVBackend } from '@strongbox/core';
import { Redis } from 'ioredis';
import type { RedisBackend } from '../../src/index.js';

/** Host and port of every server `backend`'s client has connections to. */
export function serversOf(backend: RedisBackend): { host: string; port: number }[] {
  const { client } = backend;
  const instances = client.isCluster
    ? (client as import('ioredis').Cluster).nodes('all')
    : [client as Redis];
  return instances.map((redis) => ({
    host: redis.options.host ?? '127.0.0.1',
    port: redis.options.port ?? 6379,
  }));
}

/** The client name (CLIENT SETNAME) of `backend`'s connections. */
export function connectionNameOf(backend: RedisBackend): string {
  const { client } = backend;
  const options = client.options as {
    connectionName?: string;
    redisOptions?: { connectionName?: string };
  };
  const name = options.connectionName ?? options.redisOptions?.connectionName;
  if (!name) throw new Error('the backend has no connection name to find its connections by');
  return name;
}

/** Run `work` with a short-lived admin connection to one server. */
export async function withAdmin<T>(
  server: { host: string; port: number },
  work: (admin: Redis) => Promise<T>,
): Promise<T> {
  const admin = new Redis({
    host: server.host,
    port: server.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
  try {
    await admin.connect();
    return await work(admin);
  } finally {
    admin.disconnect();
  }
}

/**
 * Kill this backend's connections only, on every server it talks to: list clients and kill
 * them by ID (Redis 7.0's CLIENT KILL has no NAME filter). Returns how many were killed.
 */
export async function dropConnections(backend: KVBackend): Promise<number> {
  const redisBackend = backend as RedisBackend;
  const name = connectionNameOf(redisBackend);
  let killed = 0;
  for (const server of serversOf(redisBackend)) {
    killed += await withAdmin(server, async (admin) => {
      const list = (await admin.client('LIST')) as string;
      const ids = list
        .split('\n')
        .map((line) =>
          Object.fromEntries(
            line
              .trim()
              .split(' ')
              .map((field) => field.split('=', 2)),
          ),
        )
        .filter((fields) => fields.name === name)
        .map((fields) => fields.id as string);
      for (const id of ids) await admin.client('KILL', 'ID', id);
      return ids.length;
    });
  }
  return killed;
}
