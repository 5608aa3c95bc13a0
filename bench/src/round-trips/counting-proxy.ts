import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/** Counts the requests in one client-to-server byte stream, chunk by chunk. */
export type MessageCounter = (chunk: Buffer) => number;

/** A loopback TCP proxy in front of one server that counts what clients send through it. */
export interface CountingProxy {
  readonly host: string;
  readonly port: number;
  /** Requests counted so far over every connection. */
  readonly count: number;
  close(): Promise<void>;
}

/**
 * Listen on a free loopback port and forward every connection to `target`, counting the
 * client's requests with a fresh `newCounter()` per connection (protocol parsers keep state
 * across chunk boundaries).
 */
export async function startCountingProxy(
  target: { host: string; port: number },
  newCounter: () => MessageCounter,
): Promise<CountingProxy> {
  let count = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    const countMessages = newCounter();
    client.on('data', (chunk: Buffer) => {
      count += countMessages(chunk);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get count() {
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
