import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { KVBackend } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StrongboxStore } from '../src/hono.js';
import { twoBackends } from './support/backends.js';

/** A real hono app served by @hono/node-server on a loopback port. */
async function app(backend: KVBackend, limit = 2): Promise<{ url: string; store: StrongboxStore }> {
  const store = new StrongboxStore({ backend });
  const hono = new Hono()
    .use(
      rateLimiter({
        windowMs: 60_000,
        limit,
        standardHeaders: 'draft-7',
        keyGenerator: (c) => c.req.header('x-client') ?? 'anonymous',
        store,
      }),
    )
    .get('/ok', (c) => c.text('ok'));
  const server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, store };
}

const get = (url: string, client = 'a') => fetch(`${url}/ok`, { headers: { 'x-client': client } });

describe('hono-rate-limiter with StrongboxStore', () => {
  it('admits the limit, then answers 429, with RateLimit headers from the counter', async () => {
    const backend = await createMemoryBackend();
    const { url, store } = await app(backend);
    const responses = [await get(url), await get(url), await get(url)];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(responses[0]?.headers.get('ratelimit')).toBe('limit=2, remaining=1, reset=60');
    expect(responses[2]?.headers.get('ratelimit')).toMatch(/^limit=2, remaining=0, reset=(59|60)$/);
    expect(responses[2]?.headers.get('ratelimit-policy')).toBe('2;w=60');
    expect((await get(url, 'b')).status).toBe(200);
    expect((await store.get('a'))?.totalHits).toBe(3);
    await store.resetKey('a');
    expect((await get(url)).status).toBe(200);
    expect(await backend.get('ratelimit:hono:a')).toBe('1');
  });

  it('two apps on one Redis Cluster share the limit', async () => {
    const [one, two] = await twoBackends('cluster');
    const first = await app(one, 2);
    const second = await app(two, 2);
    expect([
      (await get(first.url)).status,
      (await get(second.url)).status,
      (await get(first.url)).status,
    ]).toEqual([200, 200, 429]);
  });
});
