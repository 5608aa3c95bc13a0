import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that counts request flights: a flight starts whenever the client sends after
 * the server has answered (or first), so an exchange of one request and its reply is one
 * round trip, however the bytes are split into packets.
 */
export class RoundTripProxy {
  /** Flights on every connection since the last `reset()`. */
  flights = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Listen on a free loopback port and forward to `host:port`. */
  static async start(host: string, port: number): Promise<RoundTripProxy> {
    const server = createServer();
    const proxy = new RoundTripProxy(server);
    server.on('connection', (client) => proxy.#forward(client, host, port));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  reset(): void {
    this.flights = 0;
  }

  /** Stop accepting connections (new ones are refused); those already open go on. */
  refuseNew(): void {
    this.#server.close();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #forward(client: Socket, host: string, port: number): void {
    const server = createConnection(port, host);
    let answered = true;
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk) => {
      if (answered) this.flights += 1;
      answered = false;
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      answered = true;
      client.write(chunk);
    });
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  }
}
