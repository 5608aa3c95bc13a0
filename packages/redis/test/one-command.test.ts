import { waitUntil } from '@strongbox/test-services';
import { describe, expect, it } from 'vitest';
import { CHECK_AND_DELETE, CHECK_AND_SET, INCREMENT } from '../src/scripts.js';
import { TOPOLOGIES, testBackend } from './helpers/backends.js';
import { serversOf } from './helpers/connections.js';
import { commandsUnder, monitorAll } from './helpers/monitor.js';

describe.each(TOPOLOGIES)('on a %s Redis', (topology) => {
  it('sends exactly one command per operation, and scripts by SHA', async () => {
    const kv = await testBackend(topology);
    // The same key throughout: on a cluster every command then goes to the node that has
    // cached the scripts during this warm-up.
    await kv.checkAndSet('k', null, 'warm');
    await kv.checkAndDelete('k', 'warm');
    await kv.increment('k');
    await kv.delete('k');
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
    expect(await kv.increment('k', 1, { ttl: 60_000 })).toMatchObject({ value: 1 });
    expect(await kv.increment('k', -3)).toMatchObject({ value: -2 });
    expect(await kv.checkAndSet('k', '-2', 'not a counter', { keepTtl: true })).toBe(true);
    await expect(kv.increment('k')).rejects.toMatchObject({ code: 'NOT_A_COUNTER' });
    expect(await kv.delete('k')).toBe(true);

    const ours = () => commandsUnder(seen, kv.keyPrefix);
    await waitUntil(
      'the last command to be monitored',
      async () => ours().at(-1)?.args[0] === 'del',
    );
    const sent = ours().map((s) => s.args[0]?.toLowerCase());
    expect(sent).toEqual(['get', 'set', 'set', 'set', ...Array<string>(9).fill('evalsha'), 'del']);
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
      INCREMENT.sha,
      INCREMENT.sha,
      CHECK_AND_SET.sha,
      INCREMENT.sha,
    ]);
  });
});
