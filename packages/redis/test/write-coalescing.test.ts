import type { Socket } from 'node:net';
import type { Cluster, Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TOPOLOGIES, testBackend } from './helpers/backends.js';

type Write = { kind: 'write' } | { kind: 'writev'; chunks: number };

/** Record how `socket` hands data to the kernel: `_write` per chunk, or one `_writev` batch. */
function recordWrites(socket: Socket): Write[] {
  const writes: Write[] = [];
  const target = socket as unknown as {
    _write: (...args: unknown[]) => void;
    _writev: (chunks: unknown[], ...rest: unknown[]) => void;
  };
  const { _write: write, _writev: writev } = target;
  target._write = function (...args) {
    writes.push({ kind: 'write' });
    return write.apply(this, args);
  };
  target._writev = function (chunks, ...rest) {
    writes.push({ kind: 'writev', chunks: chunks.length });
    return writev.call(this, chunks, ...rest);
  };
  onTestFinished(() => {
    delete (target as Partial<typeof target>)._write;
    delete (target as Partial<typeof target>)._writev;
  });
  return writes;
}

function socketsOf(client: Redis | Cluster): Socket[] {
  const nodes = client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
  return nodes.map((node) => node.stream as Socket);
}

describe.each(TOPOLOGIES)('on a %s Redis', (topology) => {
  it('sends the commands issued in one tick in one socket write, in order', async () => {
    const kv = await testBackend(topology);
    // One key throughout, so on a cluster every command goes to one master, which has cached
    // the CAS script during this warm-up.
    await kv.checkAndSet('k', null, 'warm');
    await kv.delete('k');
    const writes = socketsOf(kv.client).map(recordWrites);

    const results = await Promise.all([
      kv.set('k', 'a'),
      kv.get('k'),
      kv.checkAndSet('k', 'a', 'b'),
      kv.get('k'),
      kv.delete('k'),
      ...Array.from({ length: 15 }, () => kv.get('k')),
    ]);

    expect(results).toEqual([undefined, 'a', true, 'b', true, ...Array(15).fill(null)]);
    expect(writes.flat()).toEqual([{ kind: 'writev', chunks: 20 }]);
  });
});
