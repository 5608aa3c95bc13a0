import {
  checkKey,
  checkOperationOptions,
  isKVError,
  KVError,
  MAX_KEY_BYTES,
  type OperationOptions,
  readOptions,
} from '@strongbox/core';
import {
  combineDecisions,
  failureDecision,
  type NamedDecision,
  type NamedLimit,
  notConsulted,
  type QuotaDecision,
  type RateLimitDecision,
  soleDecision,
  tooCostly,
} from './decision.js';
import { type RateLimiterOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { Quota, QuotaCall, Strategy } from './quota.js';

/** Options of {@link RateLimiter.allow} and {@link RateLimiter.peek}. */
export interface AllowOptions extends OperationOptions {
  /** What the call costs, a positive safe integer (default 1). */
  cost?: number | undefined;
}

/** A rate limiter on a Strongbox backend; see {@link createRateLimiter}. */
export interface RateLimiter {
  /**
   * Decide whether `key` may make a call costing `cost`, and charge it as the strategy does.
   * Rejects before any I/O with `INVALID_KEY` (bad key), `INVALID_VALUE` (bad cost) or
   * `INVALID_CONFIG` (bad or unreadable options, or `now` threw or returned no finite number);
   * rejects with `ABORTED`, with the errors of stored values the limiter did not write
   * (`NOT_A_COUNTER`, `INVALID_VALUE`) and with non-health errors such as `CLOSED`. Unhealthy, indeterminate and
   * `CONFLICT` failures resolve to the `onBackendFailure` decision with the error in `failure`.
   */
  allow(key: string, options?: AllowOptions): Promise<RateLimitDecision>;
  /** The decision `allow` would give for `cost` now, charging nothing. */
  peek(key: string, options?: AllowOptions): Promise<RateLimitDecision>;
  /** Forget `key`'s state in every quota: its full limit is back. Backend errors reject. */
  reset(key: string, options?: OperationOptions): Promise<void>;
}

type Role = 'p' | 's';

/** The quota of a single-quota limiter without secondary, ready for the short path. */
interface SoleQuota {
  readonly quota: Quota;
  /** Its stored key without the caller's key. */
  readonly keyStart: string;
  /** The limiter's decision from the quota's (made once, not per call). */
  readonly decide: (decision: QuotaDecision) => RateLimitDecision;
}

/**
 * Create a rate limiter. Every option is checked here; a bad one throws a `KVError`
 * `INVALID_CONFIG`. Keys are stored as `<prefix><p|s>:<strategy>:<quota>:<key>` (`p` for
 * `strategy`, `s` for `secondary`).
 *
 * @example
 * const limiter = createRateLimiter({
 *   backend,
 *   strategy: fixedWindow({ limit: 100, windowMs: 60_000 }),
 *   onBackendFailure: 'open',
 * });
 * const decision = await limiter.allow('user:42');
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return new StrongboxRateLimiter(resolveOptions(options));
}

class StrongboxRateLimiter implements RateLimiter {
  readonly #config: ResolvedOptions;
  /** Whether any quota reads the app clock (fixed windows run on the backend's). */
  readonly #needsClock: boolean;
  /** The secondary strategy's quotas by decision name; empty without one. */
  readonly #secondaryQuotas: readonly NamedLimit[];
  /** Every quota by decision name, the primary's first: every decision lists them all. */
  readonly #allQuotas: readonly NamedLimit[];
  /** The smallest limit: a cost above it is denied without I/O. */
  readonly #smallestLimit: number;
  /**
   * Whether a valid key makes valid stored keys unless they grow too long: the prefix has no
   * lone surrogate and no U+0000 (the rest of a stored key's start is ASCII).
   */
  readonly #prefixIsClean: boolean;
  /** UTF-16 length of the longest stored key's start (`<prefix><p|s>:<strategy>:<quota>:`). */
  readonly #longestKeyStart: number;
  /** The one quota of a single-quota limiter without secondary. */
  readonly #sole: SoleQuota | undefined;
  /** The quota call of every call without signal, timeout or app clock. */
  readonly #plainCall: QuotaCall;

  constructor(config: ResolvedOptions) {
    this.#config = config;
    this.#needsClock = [config.primary, config.secondary].some(
      (strategy) => strategy !== undefined && strategy.kind !== 'fixedWindow',
    );
    this.#secondaryQuotas = config.secondary ? namedLimits(config.secondary, 'secondary:') : [];
    this.#allQuotas = [...namedLimits(config.primary, ''), ...this.#secondaryQuotas];
    this.#smallestLimit = Math.min(...this.#allQuotas.map(({ limit }) => limit));
    this.#prefixIsClean = config.prefix === '' || checkKey(config.prefix) === undefined;
    this.#longestKeyStart = Math.max(...this.#storedKeys('').map((start) => start.length));
    const [quota, ...others] = config.primary.quotas;
    if (quota !== undefined && others.length === 0 && config.secondary === undefined) {
      const { name } = this.#allQuotas[0] as NamedLimit;
      this.#sole = {
        quota,
        keyStart: this.#storedKey(config.primary, 'p', quota, ''),
        decide: (decision) => soleDecision(name, decision),
      };
    }
    this.#plainCall = Object.freeze({ backend: config.backend, time: 0, options: undefined });
  }

  allow(key: string, options?: AllowOptions): Promise<RateLimitDecision> {
    let checked: { cost: number; call: QuotaCall };
    try {
      checked = this.#check(key, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const { cost, call } = checked;
    const sole = this.#sole;
    if (sole === undefined || cost > this.#smallestLimit) return this.#allowEach(key, cost, call);
    // The common case, one quota and no secondary: one quota call and one step after it.
    let decided: Promise<QuotaDecision>;
    try {
      decided = sole.quota.allow(sole.keyStart + key, cost, call);
    } catch (error) {
      decided = Promise.reject(error);
    }
    return decided.then(sole.decide, this.#onFailure);
  }

  /** {@link allow} for several quotas or a cost above a limit. */
  async #allowEach(key: string, cost: number, call: QuotaCall): Promise<RateLimitDecision> {
    const tooCostly = this.#overLimit(cost);
    if (tooCostly !== undefined) return tooCostly;
    const { primary, secondary } = this.#config;
    try {
      const first = await this.#evaluate(primary, 'p', key, (q, k) => q.allow(k, cost, call));
      if (secondary === undefined) return combineDecisions(first);
      if (!first.every(({ decision }) => decision.allowed)) {
        // Behind a denial the secondary is neither consulted nor charged, but still listed.
        const unasked = this.#secondaryQuotas.map(({ name, limit }) => ({
          name,
          decision: notConsulted(limit),
        }));
        return combineDecisions([...first, ...unasked]);
      }
      const second = await this.#evaluate(secondary, 's', key, (q, k) => q.allow(k, cost, call));
      return combineDecisions([...first, ...second]);
    } catch (error) {
      return this.#onFailure(error);
    }
  }

  async peek(key: string, options?: AllowOptions): Promise<RateLimitDecision> {
    const { cost, call } = this.#check(key, options);
    const tooCostly = this.#overLimit(cost);
    if (tooCostly !== undefined) return tooCostly;
    const { primary, secondary } = this.#config;
    try {
      const peeks = [this.#evaluate(primary, 'p', key, (q, k) => q.peek(k, cost, call))];
      if (secondary !== undefined) {
        peeks.push(this.#evaluate(secondary, 's', key, (q, k) => q.peek(k, cost, call)));
      }
      return combineDecisions((await settleAll(peeks)).flat());
    } catch (error) {
      return this.#onFailure(error);
    }
  }

  async reset(key: string, options?: OperationOptions): Promise<void> {
    const { perCall } = this.#checkArguments(key, options);
    const { backend } = this.#config;
    await settleAll(this.#storedKeys(key).map((k) => backend.delete(k, perCall)));
  }

  /** {@link #checkArguments}, then the app clock read for the call. */
  #check(key: string, options: AllowOptions | undefined): { cost: number; call: QuotaCall } {
    const { cost, perCall } = this.#checkArguments(key, options);
    if (perCall === undefined && !this.#needsClock) return { cost, call: this.#plainCall };
    return { cost, call: { backend: this.#config.backend, time: this.#clock(), options: perCall } };
  }

  /**
   * Validate a call's arguments before any I/O; throws the KVError its promise rejects with.
   * Each option is read once, so validation and the backend calls see the same values.
   */
  #checkArguments(
    key: string,
    options: AllowOptions | undefined,
  ): { cost: number; perCall: OperationOptions | undefined } {
    const keyProblem = checkKey(key);
    if (keyProblem !== undefined) throw callError(keyProblem.code, keyProblem.detail);
    // Well-formed strings join into a well-formed one: only the prefix or the length can fail.
    if (!this.#prefixIsClean || (this.#longestKeyStart + key.length) * 3 > MAX_KEY_BYTES) {
      for (const k of this.#storedKeys(key)) {
        const composed = checkKey(k);
        if (composed !== undefined)
          throw callError('INVALID_KEY', `with the limiter's prefix: ${composed.detail}`);
      }
    }
    const { options: read, problem: unreadable } = readOptions(options);
    let cost: unknown;
    try {
      cost = (options as { cost?: unknown } | undefined)?.cost ?? 1;
    } catch {
      throw callError('INVALID_CONFIG', 'options could not be read (a getter or Proxy threw)');
    }
    if (typeof cost !== 'number' || !Number.isSafeInteger(cost) || cost < 1) {
      throw callError('INVALID_VALUE', 'cost must be a positive safe integer');
    }
    const optionsProblem = unreadable ?? checkOperationOptions(read);
    if (optionsProblem !== undefined) throw callError(optionsProblem.code, optionsProblem.detail);
    if (read?.signal === undefined && read?.timeout === undefined)
      return { cost, perCall: undefined };
    const perCall: OperationOptions = {};
    if (read.signal !== undefined) perCall.signal = read.signal;
    if (read.timeout !== undefined) perCall.timeout = read.timeout;
    return { cost, perCall };
  }

  /** The app clock read once for this call, so every step and retry of it sees one time. */
  #clock(): number {
    if (!this.#needsClock) return 0;
    let time: unknown;
    try {
      time = this.#config.now();
    } catch (cause) {
      throw callError('INVALID_CONFIG', 'options.now threw', cause);
    }
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw callError('INVALID_CONFIG', 'options.now must return a finite number of ms');
    }
    return time;
  }

  /**
   * A cost above a quota's limit is never allowed: denied without I/O. Every quota is listed:
   * those the cost exceeds deny, the others were not consulted.
   */
  #overLimit(cost: number): RateLimitDecision | undefined {
    if (cost <= this.#smallestLimit) return undefined;
    return combineDecisions(
      this.#allQuotas.map(({ name, limit }) => ({
        name,
        decision: cost > limit ? tooCostly(limit) : notConsulted(limit),
      })),
    );
  }

  /** Run one strategy's quotas at once; the first error (one that must reject before one that may not) wins. */
  async #evaluate(
    strategy: Strategy,
    role: Role,
    key: string,
    run: (quota: Quota, storedKey: string) => Promise<QuotaDecision>,
  ): Promise<NamedDecision[]> {
    const prefix = role === 'p' ? '' : 'secondary:';
    const decisions = await settleAll(
      strategy.quotas.map((quota) => run(quota, this.#storedKey(strategy, role, quota, key))),
    );
    return decisions.map((decision, i) => ({
      name: `${prefix}${strategy.quotas[i]?.name}`,
      decision,
    }));
  }

  /** The policy's decision on a backend failure; any other error is rethrown. */
  readonly #onFailure = (error: unknown): RateLimitDecision => {
    if (!isPolicyFailure(error)) throw error;
    return failureDecision(this.#config.onBackendFailure, this.#allQuotas, error);
  };

  /** Every stored key of `key`, the primary's first. */
  #storedKeys(key: string): string[] {
    const { primary, secondary } = this.#config;
    const keys = this.#keys(primary, 'p', key);
    if (secondary !== undefined) keys.push(...this.#keys(secondary, 's', key));
    return keys;
  }

  #keys(strategy: Strategy, role: Role, key: string): string[] {
    return strategy.quotas.map((quota) => this.#storedKey(strategy, role, quota, key));
  }

  #storedKey(strategy: Strategy, role: Role, quota: Quota, key: string): string {
    return `${this.#config.prefix}${role}:${strategy.kind}:${quota.name}:${key}`;
  }
}

/** Backend failures the policy decides: unhealthy, indeterminate or `CONFLICT`, never a caller's abort. */
function isPolicyFailure(error: unknown): error is KVError {
  if (!isKVError(error) || error.code === 'ABORTED') return false;
  return error.unhealthy || error.indeterminate || error.code === 'CONFLICT';
}

/**
 * Await every promise (none is left running unobserved), then resolve with all values or
 * reject with the most telling error: one that must reject outranks one the policy decides.
 */
async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((e) => !isPolicyFailure(e)) ?? failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function namedLimits(strategy: Strategy, prefix: string): NamedLimit[] {
  return strategy.quotas.map(({ name, limit }) => ({ name: `${prefix}${name}`, limit }));
}

function callError(code: KVError['code'], detail: string, cause?: unknown): KVError {
  return new KVError({ code, backend: 'ratelimit', detail, cause });
}
