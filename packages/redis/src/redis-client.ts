import { Cluster, Redis } from 'ioredis';
import type { ClientPlan } from './resolve-options.js';

/** Build the client a plan describes (not connected yet: owned clients connect lazily). */
export function createOwnedClient(plan: Exclude<ClientPlan, { kind: 'caller' }>): Redis | Cluster {
  const client =
    plan.kind === 'cluster'
      ? new Cluster(plan.nodes, plan.options)
      : plan.url === undefined
        ? new Redis(plan.options)
        : new Redis(plan.url, plan.options);
  // Failures reach callers through the operations they break; unheard, ioredis would print each.
  client.on('error', () => undefined);
  return client;
}

/**
 * Connect a client that has not connected yet and wait until it is ready. ioredis rejects with a
 * bare "Connection is closed."; the error that explains it (refused, auth, ...) becomes the cause.
 */
export async function connectClient(client: Redis | Cluster): Promise<void> {
  let reason: unknown;
  const remember = (error: unknown) => {
    reason = error;
  };
  client.on('error', remember);
  client.on('node error', remember);
  try {
    await client.connect();
  } catch (error) {
    if (reason === undefined || reason === error) throw error;
    const message = error instanceof Error ? error.message : 'connecting failed';
    throw new Error(message, { cause: reason });
  } finally {
    client.off('error', remember);
    client.off('node error', remember);
  }
}
