import { isKVError } from '@strongbox/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { adminClient, freshBackend } from './support/shared-server.js';

describe('postgres operations', () => {
  let backend: PostgresBackend;
  let dispose: () => Promise<void>;
  const admin = adminClient();

  beforeAll(async () => {
    ({ backend, dispose } = await freshBackend());
  });
  afterAll(async () => {
    await dispose();
    await admin.end();
  });

  /** The stored row of `key`, read behind the adapter's back. */
  async function row(key: string) {
    const [found] = await admin.unsafe(
      `SELECT value, expires_at, expires_at - clock_timestamp() AS remaining FROM ${backend.table} WHERE key = $1`,
      [key],
    );
    return found;
  }

  it('round-trips U+0000, emoji, "" and a 1 MiB value exactly', async () => {
    const values = ['a\0b', '\0', '\0\0tail', '😀 ünï', '', 'x'.repeat(1024 * 1024)];
    for (const [i, value] of values.entries()) {
      await backend.set(`v${i}`, value);
      expect(await backend.get(`v${i}`)).toBe(value);
    }
    expect((await row('v0'))?.value).toEqual(Buffer.from('a\0b'));
  });

  it('compares CAS values byte for byte (prefixes, NULs and normalization forms differ)', async () => {
    await backend.set('cmp', 'ab\0');
    expect(await backend.checkAndSet('cmp', 'ab', 'x')).toBe(false);
    expect(await backend.checkAndSet('cmp', 'ab\0\0', 'x')).toBe(false);
    expect(await backend.checkAndDelete('cmp', 'ab')).toBe(false);
    expect(await backend.checkAndSet('cmp', 'ab\0', 'é')).toBe(true); // U+00E9
    expect(await backend.checkAndSet('cmp', 'e\u0301', 'x')).toBe(false); // NFD form
    expect(await backend.checkAndDelete('cmp', 'é')).toBe(true);
    expect(await backend.get('cmp')).toBeNull();
  });

  it('stores expiry as the server clock plus the TTL, and no expiry for ttl 0', async () => {
    await backend.set('ttl', 'v', { ttl: 60_000 });
    const remaining = (await row('ttl'))?.remaining as string;
    // an interval such as "00:00:59.99"
    const seconds = Number(remaining.split(':').at(-1));
    expect(seconds).toBeGreaterThan(50);
    expect(seconds).toBeLessThanOrEqual(60);
    await backend.set('ttl', 'v', { ttl: 0 });
    expect((await row('ttl'))?.expires_at).toBeNull();
  });

  it('accepts the largest TTL, Number.MAX_SAFE_INTEGER ms', async () => {
    await backend.set('far', 'v', { ttl: Number.MAX_SAFE_INTEGER });
    expect(await backend.checkAndSet('far', 'v', 'w', { ttl: Number.MAX_SAFE_INTEGER })).toBe(true);
    expect(await backend.get('far')).toBe('w');
  });

  it('keepTtl keeps a live expiry, keeps no expiry, and gives none to absent or expired keys', async () => {
    await backend.set('keep', 'a', { ttl: 60_000 });
    const before = (await row('keep'))?.expires_at as Date;
    await backend.set('keep', 'b', { keepTtl: true });
    expect(await backend.checkAndSet('keep', 'b', 'c', { keepTtl: true })).toBe(true);
    expect((await row('keep'))?.expires_at).toEqual(before);

    await backend.set('keep-none', 'a');
    await backend.set('keep-none', 'b', { keepTtl: true });
    expect((await row('keep-none'))?.expires_at).toBeNull();

    await backend.set('keep-absent', 'a', { keepTtl: true });
    expect(await backend.checkAndSet('keep-cas-absent', null, 'a', { keepTtl: true })).toBe(true);
    expect((await row('keep-absent'))?.expires_at).toBeNull();
    expect((await row('keep-cas-absent'))?.expires_at).toBeNull();

    await plantExpired('keep-expired', 'old');
    await backend.set('keep-expired', 'new', { keepTtl: true });
    expect((await row('keep-expired'))?.expires_at).toBeNull();
    expect(await backend.get('keep-expired')).toBe('new');
  });

  /** A row that expired a minute ago and was not purged. */
  async function plantExpired(key: string, value: string) {
    await admin.unsafe(
      `INSERT INTO ${backend.table} (key, value, expires_at)
       VALUES ($1, convert_to($2, 'UTF8'), clock_timestamp() - interval '1 minute')
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, value],
    );
  }

  it('treats an expired row that was not purged yet as absent for every operation', async () => {
    await plantExpired('gone', 'old');
    expect(await backend.get('gone')).toBeNull();
    expect(await backend.checkAndSet('gone', 'old', 'x')).toBe(false);
    expect(await backend.checkAndDelete('gone', 'old')).toBe(false);
    expect(await backend.delete('gone')).toBe(false);
    expect(await row('gone')).toBeUndefined(); // delete removed the dead row anyway

    await plantExpired('gone', 'old');
    expect(await backend.checkAndSet('gone', null, 'fresh', { ttl: 60_000 })).toBe(true);
    expect(await backend.get('gone')).toBe('fresh');
    expect(await backend.checkAndSet('gone', null, 'again')).toBe(false);
  });

  it('delete reports whether a live key was removed', async () => {
    await backend.set('del', 'v');
    expect(await backend.delete('del')).toBe(true);
    expect(await backend.delete('del')).toBe(false);
  });

  it('purgeExpired rejects a bad batch size before any I/O', async () => {
    for (const batch of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
      const error = await backend.purgeExpired(batch).catch((e: unknown) => e);
      expect(isKVError(error, 'INVALID_CONFIG')).toBe(true);
    }
  });
});
