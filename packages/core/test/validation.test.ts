import { describe, expect, it } from 'vitest';
import {
  checkKey,
  checkOperationOptions,
  checkValue,
  checkWriteOptions,
  expiryOf,
  MAX_KEY_BYTES,
} from '../src/validation.js';

describe('checkKey', () => {
  it('accepts keys up to 1024 UTF-8 bytes, counting multibyte characters by bytes', () => {
    expect(checkKey('k')).toBeUndefined();
    expect(checkKey('a'.repeat(MAX_KEY_BYTES))).toBeUndefined();
    expect(checkKey(`${'€'.repeat(341)}a`)).toBeUndefined(); // 1023 + 1 bytes
    expect(checkKey('a'.repeat(MAX_KEY_BYTES + 1))?.code).toBe('INVALID_KEY');
    expect(checkKey('€'.repeat(342))?.code).toBe('INVALID_KEY'); // 1026 bytes, 342 units
    expect(checkKey('😀'.repeat(257))?.code).toBe('INVALID_KEY'); // 1028 bytes, 514 units
  });

  it('rejects empty keys, non-strings, lone surrogates and U+0000', () => {
    for (const bad of ['', 42, null, undefined, {}, 'a\uD800', '\uDC00b', 'a\u0000b']) {
      expect(checkKey(bad)?.code, String(bad)).toBe('INVALID_KEY');
    }
  });
});

describe('checkValue', () => {
  it('accepts every well-formed string, empty and U+0000 included', () => {
    for (const ok of ['', '\u0000', '😀', 'x'.repeat(1 << 20)])
      expect(checkValue(ok)).toBeUndefined();
  });

  it('rejects non-strings and lone surrogates', () => {
    for (const bad of [1, null, undefined, new Uint8Array([120]), '\uD83D']) {
      expect(checkValue(bad)?.code).toBe('INVALID_VALUE');
    }
  });
});

describe('checkWriteOptions', () => {
  it('accepts no ttl, 0, and positive safe integers up to MAX_SAFE_INTEGER', () => {
    for (const options of [
      undefined,
      {},
      { ttl: 0 },
      { ttl: 1 },
      { ttl: Number.MAX_SAFE_INTEGER },
      { keepTtl: true },
    ]) {
      expect(checkWriteOptions(options)).toBeUndefined();
    }
  });

  it('rejects bad ttls and keepTtl together with a ttl as INVALID_TTL', () => {
    const bad = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', Number.MAX_SAFE_INTEGER + 1];
    for (const ttl of bad)
      expect(checkWriteOptions({ ttl })?.code, String(ttl)).toBe('INVALID_TTL');
    expect(checkWriteOptions({ ttl: 10, keepTtl: true })?.code).toBe('INVALID_TTL');
    expect(checkWriteOptions({ ttl: 0, keepTtl: true })?.code).toBe('INVALID_TTL');
    expect(checkWriteOptions({ keepTtl: 'yes' })?.code).toBe('INVALID_TTL');
  });

  it('checks TTL fields before the generic option fields', () => {
    expect(checkWriteOptions({ ttl: -1, timeout: -1 })?.code).toBe('INVALID_TTL');
    expect(checkWriteOptions({ timeout: 0 })?.code).toBe('INVALID_CONFIG');
    expect(checkWriteOptions({ signal: {} })?.code).toBe('INVALID_CONFIG');
    expect(checkWriteOptions('fast')?.code).toBe('INVALID_CONFIG');
  });

  it('rejects a timeout beyond what a timer can wait (Node would fire it after 1 ms)', () => {
    expect(checkOperationOptions({ timeout: 2 ** 31 - 1 })).toBeUndefined();
    expect(checkOperationOptions({ timeout: 2 ** 31 })?.code).toBe('INVALID_CONFIG');
    expect(checkWriteOptions({ ttl: 5, timeout: 1e10 })?.code).toBe('INVALID_CONFIG');
  });
});

describe('expiryOf', () => {
  it('normalizes omitted and zero to no expiry and keepTtl to keep', () => {
    expect(expiryOf(undefined)).toBe(0);
    expect(expiryOf({})).toBe(0);
    expect(expiryOf({ ttl: 0 })).toBe(0);
    expect(expiryOf({ ttl: 250 })).toBe(250);
    expect(expiryOf({ keepTtl: true })).toBe('keep');
    expect(expiryOf({ keepTtl: false })).toBe(0);
  });
});
