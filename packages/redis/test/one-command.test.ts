import { waitUntil } from '@strongbox/test-services';
import type { Redis } from 'ioredis';
import { Redis as RedisClient } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CHECK_AND_DELETE, CHECK_AND_SET } from '../src/scripts.js';
import { TOPOLOGIES, testBackend } from './helpers/backends.js';
import { serversOf } from './helpers/connections.js';

interface Seen {
  args: string[];
  source: string;
}

/** MONITOR every server; returns what each client sends (scripts' inner calls come from "lua"). */
async function monitorAll(servers: { host: string; port: number }[]): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (const server of servers) {
    const client = new RedisClient({ host: server.host, port: server.port });
    const monitor: Redis = await client.monitor();
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

describe.each(TOPOLOGIES)('on a %s Redis', (topology) => {
  it('sends exactly one command per operation, and scripts by SHA', async () => {
    const kv = await testBackend(topology);
    // The same key throughout: on a cluster every command then goes to the node that has
    // cached the scripts during this warm-up.
    await kv.checkAndSet('k', null, 'warm');
    await kv.checkAndDelete('k', 'warm');
    const seen = await monitorAll(serversOf(kv));

    await kv.get('k');
    await kv.set('k', 'a');
    await kv.set('k', 'b', { ttl: 60_000 });
    await kv.set('k', 'c', { keepTtl: true });
    expect(await kv.checkAndSet('k', 'c', 'd')).toBe(true);
    expect(await kv.checkAndSet('k', 'x', 'e')).toBe(false);
    expect(await kv.checkAndSet('k', 'd', 'e', { keepTtl: true })).toBe(true);
    expect(await kv.checkAndDelete('k', 'x')).toBe(false);
    expect(await kv.checkAndDelete('k', 'e')).toBe(true);
    expect(await kv.delete('k')).toBe(false);

    const ours = () =>
      seen.filter((s) => s.source !== 'lua' && s.args.some((arg) => arg.startsWith(kv.keyPrefix)));
    await waitUntil(
      'the last command to be monitored',
      async () => ours().at(-1)?.args[0] === 'del',
    );
    const sent = ours().map((s) => s.args[0]?.toLowerCase());
    expect(sent).toEqual(['get', 'set', 'set', 'set', ...Array<string>(5).fill('evalsha'), 'del']);
    const sets = ours()
      .filter((s) => s.args[0] === 'set')
      .map((s) => s.args.slice(3));
    expect(sets).toEqual([[], ['PX', '60000'], ['KEEPTTL']]);
    const shas = ours()
      .filter((s) => s.args[0] === 'evalsha')
      .map((s) => s.args[1]);
    expect(shas).toEqual([
      CHECK_AND_SET.sha,
      CHECK_AND_SET.sha,
      CHECK_AND_SET.sha,
      CHECK_AND_DELETE.sha,
      CHECK_AND_DELETE.sha,
    ]);
  });
});
