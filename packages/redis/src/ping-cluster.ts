import type { Cluster } from 'ioredis';

/**
 * Ping a Cluster: the client must be ready, and every master it is connected to must answer and
 * report `cluster_state:ok`. A master that is down leaves the client's pool, so it is noticed
 * through the others once the cluster marks it failed (after `cluster-node-timeout`). Fails with
 * a `CLUSTERDOWN` error, which classifies as unhealthy.
 */
export async function pingCluster(cluster: Cluster): Promise<void> {
  const masters = cluster.nodes('master');
  // While reconnecting, the pool's fresh node connections answer but the client refuses every
  // keyed command until its ready check passes: ioredis rejects this PING with the reason.
  if (cluster.status !== 'ready' || masters.length === 0) {
    await cluster.ping();
    return;
  }
  await Promise.all(
    masters.map(async (node) => {
      const info = await node.cluster('INFO');
      if (!info.includes('cluster_state:ok')) {
        const { host, port } = node.options;
        throw new Error(`CLUSTERDOWN ${host}:${port} does not report cluster_state:ok`);
      }
    }),
  );
}
