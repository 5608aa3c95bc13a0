import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, type PostgresBackend } from '../src/index.js';
import { RoundTripProxy } from './support/round-trip-proxy.js';
import { dropTable, sharedUrl, uniqueTable } from './support/shared-server.js';

const CALLS = 20;

describe('round trips', () => {
  let proxy: RoundTripProxy;
  let backend: PostgresBackend;

  beforeAll(async () => {
    const url = new URL(sharedUrl());
    proxy = await RoundTripProxy.start(url.hostname, Number(url.port || 5432));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    backend = await createPostgresBackend({
      url: url.toString(),
      table: uniqueTable('trips'),
      max: 1,
      minConnections: 1,
      purgeInterval: 0,
    });
  });
  afterAll(async () => {
    await backend.close();
    await dropTable(backend.table);
    await proxy.close();
  });

  const calls: Array<[string, (i: number) => Promise<unknown>]> = [
    ['get', (i) => backend.get(`k${i}`)],
    ['set', (i) => backend.set(`k${i}`, 'v')],
    ['set with ttl', (i) => backend.set(`k${i}`, 'v', { ttl: 60_000 })],
    ['set with keepTtl', (i) => backend.set(`k${i}`, 'v', { keepTtl: true })],
    ['checkAndSet(k, null, v)', (i) => backend.checkAndSet(`n${i}`, null, 'v')],
    ['checkAndSet(k, old, new)', (i) => backend.checkAndSet(`k${i}`, 'v', 'v', { ttl: 60_000 })],
    ['checkAndDelete', (i) => backend.checkAndDelete(`n${i}`, 'v')],
    ['delete', (i) => backend.delete(`k${i}`)],
    ['increment creating a counter', (i) => backend.increment(`c${i}`, 1, { ttl: 60_000 })],
    ['increment of a live counter', () => backend.increment('hot', -1, { ttl: 60_000 })],
    ['ping', () => backend.ping()],
    ['purgeExpired', () => backend.purgeExpired()],
  ];

  it.each(calls)('%s is one round trip once its statement is prepared', async (_, call) => {
    await call(-1); // the first call of a statement also prepares it
    proxy.reset();
    for (let i = 0; i < CALLS; i++) await call(i);
    expect(proxy.flights).toBe(CALLS);
  });

  it('an increment that writes nothing takes a second round trip to say why', async () => {
    await backend.set('text', 'not a counter');
    const refused = () =>
      backend.increment('text').then(
        () => 'counted',
        (error: { code?: string }) => error.code,
      );
    await refused(); // prepares both statements
    proxy.reset();
    for (let i = 0; i < CALLS; i++) expect(await refused()).toBe('NOT_A_COUNTER');
    expect(proxy.flights).toBe(2 * CALLS);
  });
});
