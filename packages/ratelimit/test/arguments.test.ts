import { isKVError, type KVError } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { describe, expect, it } from 'vitest';
import {
  createRateLimiter,
  fixedWindow,
  gcra,
  leakyBucket,
  type RateLimiterOptions,
  slidingWindow,
  tokenBucket,
} from '../src/index.js';
import { expectKVError, recording } from './helpers.js';

const backend = await createMemoryBackend();
const valid: RateLimiterOptions = {
  backend,
  strategy: fixedWindow({ limit: 1, windowMs: 1_000 }),
  onBackendFailure: 'open',
};

function configError(options: unknown): KVError {
  let thrown: unknown;
  try {
    createRateLimiter(options as RateLimiterOptions);
  } catch (error) {
    thrown = error;
  }
  expect(isKVError(thrown, 'INVALID_CONFIG'), String(thrown)).toBe(true);
  return thrown as KVError;
}

describe('limiter options are checked at creation (INVALID_CONFIG)', () => {
  const bad: [string, unknown, RegExp][] = [
    ['no options', undefined, /options must be an object/],
    ['no backend', { ...valid, backend: undefined }, /backend must be a KVBackend/],
    [
      'a backend without increment',
      { ...valid, backend: { get() {} } },
      /backend must be a KVBackend/,
    ],
    ['no policy', { ...valid, onBackendFailure: undefined }, /onBackendFailure/],
    ['a wrong policy', { ...valid, onBackendFailure: 'allow' }, /onBackendFailure/],
    ['a non-string prefix', { ...valid, prefix: 1 }, /prefix/],
    ['a non-function now', { ...valid, now: 5 }, /now/],
    [
      'an unknown option',
      { ...valid, onBackendFaliure: 'open' },
      /unknown option "onBackendFaliure"/,
    ],
    ['no strategy', { ...valid, strategy: undefined }, /strategy must be an object/],
    [
      'a made-up strategy',
      { ...valid, strategy: { kind: 'bogus', options: {} } },
      /must come from fixedWindow/,
    ],
    [
      'limit 0',
      { ...valid, strategy: fixedWindow({ limit: 0, windowMs: 1 }) },
      /limit must be a positive safe integer, got 0/,
    ],
    [
      'a fractional limit',
      { ...valid, strategy: fixedWindow({ limit: 1.5, windowMs: 1 }) },
      /limit/,
    ],
    [
      'windowMs NaN',
      { ...valid, strategy: fixedWindow({ limit: 1, windowMs: Number.NaN }) },
      /windowMs/,
    ],
    ['empty quotas', { ...valid, strategy: fixedWindow({ quotas: {} }) }, /at least one quota/],
    [
      'a bad quota name',
      { ...valid, strategy: fixedWindow({ quotas: { 'a:b': { limit: 1, windowMs: 1 } } }) },
      /quota name/,
    ],
    [
      'quotas and limit',
      {
        ...valid,
        strategy: {
          kind: 'fixedWindow',
          options: { quotas: { a: { limit: 1, windowMs: 1 } }, limit: 1 },
        },
      },
      /unknown option "limit"/,
    ],
    [
      'a bad secondary',
      { ...valid, secondary: tokenBucket({ capacity: 1, refillPerSecond: 0 }) },
      /secondary.*refillPerSecond/,
    ],
    [
      'an infinite leak',
      { ...valid, strategy: leakyBucket({ capacity: 1, leakPerSecond: Number.POSITIVE_INFINITY }) },
      /leakPerSecond/,
    ],
    [
      'a gcra burst of 0',
      { ...valid, strategy: gcra({ limit: 1, periodMs: 1, burst: 0 }) },
      /burst/,
    ],
    [
      'a sliding window without windowMs',
      { ...valid, strategy: slidingWindow({ limit: 1 } as never) },
      /windowMs/,
    ],
  ];
  it.each(bad)('%s', (_, options, detail) => {
    expect(configError(options).message).toMatch(detail);
  });

  it('the strategy factories themselves never throw', () => {
    expect(() => fixedWindow(null as never)).not.toThrow();
    expect(() => tokenBucket({ capacity: -1, refillPerSecond: -1 })).not.toThrow();
  });
});

describe('call arguments reject before any I/O', () => {
  const { kv, calls } = recording(backend);
  const limiter = createRateLimiter({
    backend: kv,
    strategy: fixedWindow({ limit: 5, windowMs: 1_000 }),
    secondary: tokenBucket({ capacity: 5, refillPerSecond: 1 }),
    onBackendFailure: 'open',
    now: () => 0,
  });

  it.each([
    ['an empty key', () => limiter.allow(''), 'INVALID_KEY'],
    ['a non-string key', () => limiter.allow(42 as never), 'INVALID_KEY'],
    ['a lone surrogate', () => limiter.peek('\uD800'), 'INVALID_KEY'],
    ['a key too long once prefixed', () => limiter.allow('k'.repeat(1_020)), 'INVALID_KEY'],
    ['cost 0', () => limiter.allow('k', { cost: 0 }), 'INVALID_VALUE'],
    ['cost 1.5', () => limiter.allow('k', { cost: 1.5 }), 'INVALID_VALUE'],
    ['a string cost', () => limiter.peek('k', { cost: '1' as never }), 'INVALID_VALUE'],
    ['a bad timeout', () => limiter.allow('k', { timeout: -1 }), 'INVALID_CONFIG'],
    ['a bad key on reset', () => limiter.reset(''), 'INVALID_KEY'],
  ] as const)('%s', async (_, call, code) => {
    calls.length = 0;
    await expectKVError(call(), code);
    expect(calls).toEqual([]);
  });

  it.each([
    [
      'a throwing cost getter',
      {
        get cost(): number {
          throw new Error('getter');
        },
      },
    ],
    [
      'a throwing timeout getter',
      {
        get timeout(): number {
          throw new Error('getter');
        },
      },
    ],
    ['a revoked Proxy', revokedProxy()],
  ])(
    'options that cannot be read (%s) reject with INVALID_CONFIG before I/O',
    async (_, options) => {
      calls.length = 0;
      await expectKVError(limiter.allow('k', options), 'INVALID_CONFIG');
      await expectKVError(limiter.peek('k', options), 'INVALID_CONFIG');
      await expectKVError(limiter.reset('k', options), 'INVALID_CONFIG');
      expect(calls).toEqual([]);
    },
  );

  it('nothing throws synchronously, even for a non-string key', () => {
    expect(() => limiter.allow(undefined as never).catch(() => {})).not.toThrow();
  });

  it('an app clock returning no number rejects with INVALID_CONFIG before I/O', async () => {
    calls.length = 0;
    const broken = createRateLimiter({
      backend: kv,
      strategy: gcra({ limit: 1, periodMs: 1 }),
      onBackendFailure: 'open',
      now: () => Number.NaN,
    });
    await expectKVError(broken.allow('k'), 'INVALID_CONFIG');
    expect(calls).toEqual([]);
  });

  it('an app clock that throws rejects with INVALID_CONFIG before I/O; reset does not read it', async () => {
    calls.length = 0;
    const broken = createRateLimiter({
      backend: kv,
      strategy: tokenBucket({ capacity: 1, refillPerSecond: 1 }),
      onBackendFailure: 'open',
      now: () => {
        throw new Error('no clock');
      },
    });
    const error = await expectKVError(broken.allow('k'), 'INVALID_CONFIG');
    expect(error.cause).toMatchObject({ message: 'no clock' });
    expect(calls).toEqual([]);
    await expect(broken.reset('k')).resolves.toBeUndefined();
  });

  it('an already-aborted signal rejects with ABORTED, whatever the policy', async () => {
    const limiter2 = createRateLimiter({ ...valid, onBackendFailure: 'open' });
    await expectKVError(limiter2.allow('k', { signal: AbortSignal.abort() }), 'ABORTED');
  });
});

/** Options whose every read throws, as a revoked Proxy's does. */
function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe('stored keys are checked whole, before any I/O', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text).length;

  it.each([
    ['one quota', fixedWindow({ limit: 5, windowMs: 1_000 }), undefined, 'p:fixedWindow:default:'],
    [
      'several quotas and a secondary',
      fixedWindow({
        quotas: { a: { limit: 5, windowMs: 1_000 }, longest: { limit: 5, windowMs: 1_000 } },
      }),
      tokenBucket({ capacity: 5, refillPerSecond: 1 }),
      'p:fixedWindow:longest:',
    ],
  ])(
    '%s: the longest stored key may take 1024 UTF-8 bytes, not one more',
    async (_, strategy, secondary, longestStart) => {
      const { kv, calls } = recording(await createMemoryBackend());
      const prefix = 'é€:'; // 2- and 3-byte characters
      const limiter = createRateLimiter({
        backend: kv,
        prefix,
        strategy,
        secondary,
        onBackendFailure: 'closed',
        now: () => 0,
      });
      // Up to the limit with 4-byte characters (two UTF-16 units each), the rest in ASCII.
      const room = 1024 - utf8(prefix + longestStart);
      const fits = '😀'.repeat(Math.floor(room / 4)) + 'k'.repeat(room % 4);
      expect(utf8(prefix + longestStart + fits)).toBe(1024);
      expect((await limiter.allow(fits)).allowed).toBe(true);
      calls.length = 0;
      for (const tooLong of [`${fits}k`, `€kk${fits.slice(2)}`]) {
        expect(utf8(prefix + longestStart + tooLong)).toBe(1025);
        await expectKVError(limiter.allow(tooLong), 'INVALID_KEY');
        await expectKVError(limiter.peek(tooLong), 'INVALID_KEY');
        await expectKVError(limiter.reset(tooLong), 'INVALID_KEY');
      }
      expect(calls).toEqual([]);
    },
  );

  it.each([
    ['a lone surrogate', 'rl\uD800:'],
    ['U+0000', 'rl\0:'],
  ])('a prefix with %s makes every call reject with INVALID_KEY', async (_, prefix) => {
    const { kv, calls } = recording(await createMemoryBackend());
    const limiter = createRateLimiter({
      backend: kv,
      prefix,
      strategy: fixedWindow({ limit: 5, windowMs: 1_000 }),
      onBackendFailure: 'open',
    });
    await expectKVError(limiter.allow('k'), 'INVALID_KEY');
    await expectKVError(limiter.peek('k'), 'INVALID_KEY');
    await expectKVError(limiter.reset('k'), 'INVALID_KEY');
    expect(calls).toEqual([]);
  });
});
