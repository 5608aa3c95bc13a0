import type { KVError } from '@strongbox/core';

/** One quota's verdict on a call. */
export interface QuotaDecision {
  /** This quota admits the call. */
  allowed: boolean;
  /** The quota's size: `limit`, `capacity` for the buckets, `burst` for gcra. */
  limit: number;
  /** What a call could take now, rounded down (after this call's charge for `allow`). */
  remaining: number;
  /** Ms, rounded up, until the full limit is back if nothing more is charged. */
  resetAfterMs: number;
  /** 0 when allowed, else ms, rounded up, until the same cost would be allowed (`Infinity`: never). */
  retryAfterMs: number;
}

/** The limiter's verdict: the binding quota's fields, every quota's own decision, and any failure. */
export interface RateLimitDecision extends QuotaDecision {
  /**
   * Every quota's own decision, by name (`default` for a single-quota strategy). In dual mode
   * the secondary strategy's quotas are named `secondary:<name>`. Every quota is always listed;
   * one the call did not consult is `allowed` with `remaining`, `resetAfterMs` and
   * `retryAfterMs` 0.
   */
  quotas: Record<string, QuotaDecision>;
  /** Set when the backend failed and `onBackendFailure` decided instead. */
  failure?: KVError | undefined;
}

/** A named quota decision, in the order the strategies list their quotas. */
export interface NamedDecision {
  name: string;
  decision: QuotaDecision;
}

/**
 * The decision for a set of quota decisions: allowed only when all allow; the binding quota is
 * the denying one with the largest `retryAfterMs`, else the one with the least `remaining`
 * (the first of equals).
 */
export function combineDecisions(named: readonly NamedDecision[]): RateLimitDecision {
  let binding: QuotaDecision | undefined;
  for (const { decision } of named) {
    if (binding === undefined || binds(decision, binding)) binding = decision;
  }
  if (binding === undefined) throw new Error('a strategy has at least one quota');
  const quotas: Record<string, QuotaDecision> = {};
  for (const { name, decision } of named) quotas[name] = decision;
  return { ...binding, allowed: named.every(({ decision }) => decision.allowed), quotas };
}

/** The decision of a limiter with one quota, named `name`: that quota's own. */
export function soleDecision(name: string, decision: QuotaDecision): RateLimitDecision {
  const { allowed, limit, remaining, resetAfterMs, retryAfterMs } = decision;
  return { allowed, limit, remaining, resetAfterMs, retryAfterMs, quotas: { [name]: decision } };
}

function binds(candidate: QuotaDecision, current: QuotaDecision): boolean {
  if (candidate.allowed !== current.allowed) return !candidate.allowed;
  if (!candidate.allowed) return candidate.retryAfterMs > current.retryAfterMs;
  return candidate.remaining < current.remaining;
}

/** A quota with its decision name (`secondary:<name>` for the secondary strategy's). */
export interface NamedLimit {
  name: string;
  limit: number;
}

/**
 * The decision of a quota the call did not consult (a cost above another quota's limit, or a
 * secondary behind a denying primary): it did not deny, and nothing is known of its state, so
 * `remaining` and `resetAfterMs` are 0, as in an open failure decision.
 */
export function notConsulted(limit: number): QuotaDecision {
  return { allowed: true, limit, remaining: 0, resetAfterMs: 0, retryAfterMs: 0 };
}

/** The decision of a quota whose limit `cost` exceeds: never allowed. */
export function tooCostly(limit: number): QuotaDecision {
  return { allowed: false, limit, remaining: 0, resetAfterMs: 0, retryAfterMs: Infinity };
}

/**
 * What `onBackendFailure` decides when the backend failed: nothing is known about the quotas,
 * so each is listed with the policy's decision and its own limit; `limit` is the first one's.
 */
export function failureDecision(
  policy: 'open' | 'closed',
  quotas: readonly NamedLimit[],
  failure: KVError,
): RateLimitDecision {
  const allowed = policy === 'open';
  const decide = (limit: number): QuotaDecision => ({
    allowed,
    limit,
    remaining: 0,
    resetAfterMs: 0,
    retryAfterMs: allowed ? 0 : 1000,
  });
  const byName: Record<string, QuotaDecision> = {};
  for (const { name, limit } of quotas) byName[name] = decide(limit);
  return { ...decide(quotas[0]?.limit ?? 0), quotas: byName, failure };
}
