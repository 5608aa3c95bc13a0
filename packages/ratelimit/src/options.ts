import { type KVBackend, KVError } from '@strongbox/core';
import { FixedWindowQuota } from './fixed-window.js';
import { MeterQuota } from './meter.js';
import type { Strategy } from './quota.js';
import { SlidingWindowQuota } from './sliding-window.js';
import type { RateLimitStrategy } from './strategies.js';

/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  /** Any Strongbox backend. */
  backend: KVBackend;
  /** Prepended to every key the limiter stores (default `'ratelimit:'`). */
  prefix?: string | undefined;
  /** The strategy, from `fixedWindow`, `slidingWindow`, `tokenBucket`, `leakyBucket` or `gcra`. */
  strategy: RateLimitStrategy;
  /**
   * Dual mode: a second strategy that must allow as well. It is evaluated only when `strategy`
   * allowed; its denial leaves `strategy`'s charge in place.
   */
  secondary?: RateLimitStrategy | undefined;
  /** What to decide when the backend fails (unhealthy, indeterminate or `CONFLICT`): admit or deny. */
  onBackendFailure: 'open' | 'closed';
  /** The app clock in ms, for every strategy except `fixedWindow` (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** Checked limiter options. */
export interface ResolvedOptions {
  backend: KVBackend;
  prefix: string;
  primary: Strategy;
  secondary: Strategy | undefined;
  onBackendFailure: 'open' | 'closed';
  now: () => number;
}

const LIMITER_KEYS = ['backend', 'prefix', 'strategy', 'secondary', 'onBackendFailure', 'now'];
const QUOTA_NAME = /^[A-Za-z0-9_-]+$/;

/** Check the limiter's options; throws a `KVError` `INVALID_CONFIG` naming the first problem. */
export function resolveOptions(options: RateLimiterOptions): ResolvedOptions {
  const raw = plainObject(options, 'options');
  onlyKeys(raw, LIMITER_KEYS, 'options');
  const { backend, prefix = 'ratelimit:', onBackendFailure, now = Date.now } = raw;
  if (!isBackend(backend)) fail('options.backend must be a KVBackend');
  if (typeof prefix !== 'string') fail('options.prefix must be a string');
  if (onBackendFailure !== 'open' && onBackendFailure !== 'closed') {
    fail("options.onBackendFailure must be 'open' or 'closed'");
  }
  if (typeof now !== 'function') fail('options.now must be a function returning ms');
  return {
    backend,
    prefix,
    primary: strategyOf(raw.strategy, 'options.strategy'),
    secondary:
      raw.secondary === undefined ? undefined : strategyOf(raw.secondary, 'options.secondary'),
    onBackendFailure,
    now: now as () => number,
  };
}

function strategyOf(spec: unknown, where: string): Strategy {
  const { kind, options } = plainObject(spec, where);
  const opts = plainObject(options, `${where} options`);
  const at = `${where} (${String(kind)})`;
  switch (kind) {
    case 'fixedWindow':
      return { kind, quotas: fixedWindowQuotas(opts, at) };
    case 'slidingWindow': {
      onlyKeys(opts, ['limit', 'windowMs'], at);
      const quota = new SlidingWindowQuota(
        count(opts.limit, `${at}.limit`),
        ms(opts.windowMs, `${at}.windowMs`),
      );
      return { kind, quotas: [quota] };
    }
    case 'tokenBucket': {
      onlyKeys(opts, ['capacity', 'refillPerSecond'], at);
      const capacity = count(opts.capacity, `${at}.capacity`);
      const perSecond = rate(opts.refillPerSecond, `${at}.refillPerSecond`);
      return { kind, quotas: [new MeterQuota(kind, capacity, 1000 / perSecond)] };
    }
    case 'leakyBucket': {
      onlyKeys(opts, ['capacity', 'leakPerSecond'], at);
      const capacity = count(opts.capacity, `${at}.capacity`);
      const perSecond = rate(opts.leakPerSecond, `${at}.leakPerSecond`);
      return { kind, quotas: [new MeterQuota(kind, capacity, 1000 / perSecond)] };
    }
    case 'gcra': {
      onlyKeys(opts, ['limit', 'periodMs', 'burst'], at);
      const limit = count(opts.limit, `${at}.limit`);
      const periodMs = ms(opts.periodMs, `${at}.periodMs`);
      const burst = opts.burst === undefined ? limit : count(opts.burst, `${at}.burst`);
      return { kind, quotas: [new MeterQuota(kind, burst, periodMs / limit)] };
    }
    default:
      return fail(
        `${where} must come from fixedWindow, slidingWindow, tokenBucket, leakyBucket or gcra`,
      );
  }
}

function fixedWindowQuotas(opts: Record<string, unknown>, at: string): FixedWindowQuota[] {
  if (opts.quotas === undefined) {
    onlyKeys(opts, ['limit', 'windowMs'], at);
    return [
      new FixedWindowQuota(
        'default',
        count(opts.limit, `${at}.limit`),
        ms(opts.windowMs, `${at}.windowMs`),
      ),
    ];
  }
  onlyKeys(opts, ['quotas'], `${at} (with quotas, limit and windowMs go inside each quota)`);
  const quotas = Object.entries(plainObject(opts.quotas, `${at}.quotas`));
  if (quotas.length === 0) fail(`${at}.quotas must name at least one quota`);
  return quotas.map(([name, quota]) => {
    if (!QUOTA_NAME.test(name))
      fail(`${at}: quota name ${JSON.stringify(name)} must match ${QUOTA_NAME}`);
    const q = plainObject(quota, `${at}.quotas.${name}`);
    onlyKeys(q, ['limit', 'windowMs'], `${at}.quotas.${name}`);
    return new FixedWindowQuota(
      name,
      count(q.limit, `${at}.quotas.${name}.limit`),
      ms(q.windowMs, `${at}.quotas.${name}.windowMs`),
    );
  });
}

function count(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  return fail(`${where} must be a positive safe integer, got ${describe(value)}`);
}

function ms(value: unknown, where: string): number {
  return count(value, `${where} (ms)`);
}

function rate(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  return fail(`${where} must be a positive finite number, got ${describe(value)}`);
}

function plainObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${where} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Unknown option names are rejected: a typo would otherwise silently fall back to a default. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) fail(`${where}: unknown option ${JSON.stringify(unknown)}`);
}

function isBackend(value: unknown): value is KVBackend {
  if (typeof value !== 'object' || value === null) return false;
  const kv = value as Record<string, unknown>;
  return ['get', 'delete', 'checkAndSet', 'increment'].every((m) => typeof kv[m] === 'function');
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
}

function fail(detail: string): never {
  throw new KVError({ code: 'INVALID_CONFIG', backend: 'ratelimit', detail });
}
