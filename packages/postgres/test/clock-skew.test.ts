import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { adminClient, freshBackend } from './support/shared-server.js';

const HOURS_OFF = 6 * 3_600_000;
const TTL_MS = 400;

describe('a client clock hours off', () => {
  const admin = adminClient();
  let backend: PostgresBackend;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ backend, dispose } = await freshBackend());
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await dispose();
    await admin.end();
  });

  /** Ms until `key` expires by the server's clock. */
  async function remainingMs(key: string): Promise<number> {
    const [row] = await admin.unsafe(
      `SELECT extract(epoch FROM expires_at - clock_timestamp()) * 1000 AS ms FROM ${backend.table} WHERE key = $1`,
      [key],
    );
    return Number(row?.ms);
  }

  it.each([
    ['ahead', HOURS_OFF],
    ['behind', -HOURS_OFF],
    ['right', 0],
  ])('TTLs are the same with a client clock %s', async (_, offset) => {
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
    const key = `skew${offset}`;
    const written = performance.now();
    await backend.set(key, 'v', { ttl: TTL_MS });
    const remaining = await remainingMs(key);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(TTL_MS);
    expect(await backend.checkAndSet(key, 'v', 'w', { keepTtl: true })).toBe(true);
    // Present until the TTL runs out (if this check finished in time), absent after it.
    const value = await backend.get(key);
    if (performance.now() < written + TTL_MS) expect(value).toBe('w');
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 50));
    expect(await backend.get(key)).toBeNull();
    expect(await backend.checkAndSet(key, null, 'again')).toBe(true);
  });
});
