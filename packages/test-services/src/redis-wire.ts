import { connect } from 'node:net';

/**
 * Send one command to a Redis server over a fresh connection and return its reply as text.
 * Just enough RESP for the test services (status, error, integer and bulk replies), so that
 * starting a standalone server needs no client library and no `redis-cli`.
 */
export function redisCommand(
  host: string,
  port: number,
  args: readonly string[],
  timeoutMs = 2_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, reply?: string) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(reply ?? '');
    };
    socket.setTimeout(timeoutMs, () =>
      finish(new Error(`no reply from ${host}:${port} within ${timeoutMs} ms`)),
    );
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error(`${host}:${port} closed the connection`)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const reply = parseReply(received);
      if (reply instanceof Error) finish(reply);
      else if (reply !== undefined) finish(undefined, reply);
    });
    socket.write(encodeCommand(args));
  });
}

function encodeCommand(args: readonly string[]): string {
  const parts = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return `*${args.length}\r\n${parts.join('')}`;
}

/** The reply in `data`, an Error for an error reply, or undefined while incomplete. */
function parseReply(data: Buffer): string | Error | undefined {
  const lineEnd = data.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const line = data.subarray(1, lineEnd).toString('utf8');
  switch (data[0]) {
    case 0x2b /* + */:
    case 0x3a /* : */:
      return line;
    case 0x2d /* - */:
      return new Error(line);
    case 0x24 /* $ */:
      {
        const length = Number(line);
        if (length < 0) return '';
        const start = lineEnd + 2;
        if (data.length < start + length + 2) return undefined;
        return data.subarray(start, start + length).toString('utf8');
      }
    default:
      return new Error(`unexpected Redis reply: ${JSON.stringify(data.toString('utf8', 0, 80))}`);
  }
}
