import type { Socket } from 'node:net';
import type { Cluster, Redis } from 'ioredis';

/**
 * Returns a function to call before sending a command: it packs every command the backend
 * sends during one tick of the event loop into one socket write per connection.
 *
 * ioredis writes each command with its own `socket.write`, one system call each; with many
 * calls in flight those system calls are most of an operation's CPU time (node-redis, which
 * Keyv uses, batches instead). Corking the client's sockets at the first command of a tick and
 * uncorking them in `process.nextTick` sends that tick's commands in one `writev`. Commands,
 * their order and their replies are unchanged; they leave when the current tick's synchronous
 * code and microtasks are done, instead of one by one during it.
 */
export function createWriteCoalescer(client: Redis | Cluster): () => void {
  let corked: Socket[] | undefined;
  const uncork = () => {
    const sockets = corked ?? [];
    corked = undefined;
    for (const socket of sockets) socket.uncork();
  };
  return () => {
    if (corked !== undefined) return;
    corked = socketsOf(client);
    for (const socket of corked) socket.cork();
    process.nextTick(uncork);
  };
}

/** The sockets commands may go out on: the client's own, or every master's on a Cluster. */
function socketsOf(client: Redis | Cluster): Socket[] {
  const connections = client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
  return connections.flatMap((connection) =>
    connection.stream?.writable ? [connection.stream] : [],
  );
}
