import { Cluster, type ClusterOptions, Redis } from 'ioredis';

/** A Redis address. */
export interface RedisAddress {
  host: string;
  port: number;
}

/**
 * How the contenders reach Redis: one server, or a Cluster through its seed nodes. `natMap`
 * sends a Cluster's announced node addresses elsewhere (through the counting proxies).
 */
export type RedisDeployment =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: RedisAddress[]; natMap?: Record<string, RedisAddress> };

/** An ioredis client for `deployment` with extra options (cluster-level ones for a Cluster). */
export async function connectIoredis(
  deployment: RedisDeployment,
  options: ClusterOptions & Record<string, unknown> = {},
): Promise<Redis | Cluster> {
  const client =
    deployment.kind === 'single'
      ? new Redis(deployment.url, { ...options, lazyConnect: true })
      : new Cluster(deployment.nodes, {
          ...options,
          ...(deployment.natMap ? { natMap: deployment.natMap } : {}),
          lazyConnect: true,
        });
  await client.connect();
  return client;
}

/** Every master of `client` (the client itself for a single server). */
export function mastersOf(client: Redis | Cluster): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
