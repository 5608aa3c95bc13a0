import { createServer, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/** A TCP listener on a free loopback port that accepts connections and never answers. */
export interface SilentListener {
  port: number;
  /** Sockets accepted so far. */
  sockets: Socket[];
  /** How many accepted sockets the peer has not closed yet. */
  open(): number;
}

/** Start a {@link SilentListener}, closed when the current test ends. */
export async function silentListener(): Promise<SilentListener> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.resume(); // read and drop requests, so a client's FIN is seen
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, sockets, open: () => sockets.filter((s) => !s.closed).length };
}
