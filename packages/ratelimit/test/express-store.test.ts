import type { AddressInfo } from 'node:net';
import type { KVBackend } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StrongboxStore } from '../src/express.js';
import { twoBackends } from './support/backends.js';

/** A real express app on a loopback port, limited by a StrongboxStore on `backend`. */
async function app(
  backend: KVBackend,
  limit = 2,
  skipFailedRequests = false,
): Promise<{ url: string; store: StrongboxStore }> {
  const store = new StrongboxStore({ backend });
  const server = express()
    .use(
      rateLimit({
        windowMs: 60_000,
        limit,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        skipFailedRequests,
        keyGenerator: (req) => String(req.headers['x-client'] ?? 'anonymous'),
        store,
      }),
    )
    .get('/ok', (_req, res) => void res.send('ok'))
    .get('/fail', (_req, res) => void res.status(500).send('no'))
    .listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, store };
}

const get = (url: string, client = 'a') => fetch(url, { headers: { 'x-client': client } });

describe('express-rate-limit with StrongboxStore', () => {
  it('admits the limit, then answers 429, with RateLimit headers from the counter', async () => {
    const { url } = await app(await createMemoryBackend());
    const responses = [await get(`${url}/ok`), await get(`${url}/ok`), await get(`${url}/ok`)];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(responses[0]?.headers.get('ratelimit')).toBe('limit=2, remaining=1, reset=60');
    expect(responses[2]?.headers.get('ratelimit')).toMatch(/^limit=2, remaining=0, reset=(59|60)$/);
    expect(responses[2]?.headers.get('ratelimit-policy')).toBe('2;w=60');
    expect(Number(responses[2]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get(`${url}/ok`, 'b')).status).toBe(200); // another client has its own window
  });

  it('decrement takes back failed requests (skipFailedRequests) without creating counters', async () => {
    const backend = await createMemoryBackend();
    const { url, store } = await app(backend, 2, true);
    expect((await get(`${url}/fail`)).status).toBe(500);
    expect((await get(`${url}/fail`)).status).toBe(500);
    await expect.poll(() => backend.get('ratelimit:express:a')).toBe('0');
    await store.decrement('a'); // a counter at 0 is not lowered further
    expect(await backend.get('ratelimit:express:a')).toBe('0');
    expect((await get(`${url}/ok`)).status).toBe(200);
    await store.decrement('never-seen');
    expect(await backend.get('ratelimit:express:never-seen')).toBeNull();
  });

  it('get peeks and resetKey forgets a client', async () => {
    const { url, store } = await app(await createMemoryBackend(), 1);
    expect(await store.get('a')).toBeUndefined();
    await get(`${url}/ok`);
    expect((await get(`${url}/ok`)).status).toBe(429);
    const info = await store.get('a');
    expect(info?.totalHits).toBe(2);
    expect(info?.resetTime?.getTime()).toBeGreaterThan(Date.now() + 50_000);
    await store.resetKey('a');
    expect((await get(`${url}/ok`)).status).toBe(200);
    expect(store.localKeys).toBe(false);
    expect(store.prefix).toBe('ratelimit:express:');
  });

  it('two apps on one Redis (own connections each) share the limit', async () => {
    const [one, two] = await twoBackends('redis');
    const first = await app(one, 3);
    const second = await app(two, 3);
    const statuses = [];
    for (const url of [first.url, second.url, first.url, second.url])
      statuses.push((await get(`${url}/ok`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
