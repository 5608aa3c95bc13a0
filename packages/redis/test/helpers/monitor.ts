import { Redis, type Redis as RedisConnection } from 'ioredis';
import { onTestFinished } from 'vitest';

/** A command a server received, as MONITOR reports it. */
export interface MonitoredCommand {
  args: string[];
  /** The sender's address, or "lua" for the commands a script runs. */
  source: string;
}

/** MONITOR every server until the current test ends; returns what each client sends. */
export async function monitorAll(
  servers: { host: string; port: number }[],
): Promise<MonitoredCommand[]> {
  const seen: MonitoredCommand[] = [];
  for (const server of servers) {
    const client = new Redis({ host: server.host, port: server.port });
    const monitor: RedisConnection = await client.monitor();
    onTestFinished(() => {
      monitor.disconnect();
      client.disconnect();
    });
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      seen.push({ args, source });
    });
  }
  return seen;
}

/** The commands (not scripts' inner calls) that name a key under `keyPrefix`. */
export function commandsUnder(seen: MonitoredCommand[], keyPrefix: string): MonitoredCommand[] {
  return seen.filter(
    (command) => command.source !== 'lua' && command.args.some((arg) => arg.startsWith(keyPrefix)),
  );
}
