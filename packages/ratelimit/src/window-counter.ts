import {
  type Counter,
  type KVBackend,
  KVError,
  type OperationOptions,
  parseCounter,
} from '@strongbox/core';

/**
 * A fixed-window counter's live value and remaining ttl without charging: `get`, and only for a
 * live counter a zero `increment` for its ttl (a zero increment would create an absent counter).
 * Resolves null when there is no live counter.
 */
export async function readWindowCounter(
  backend: KVBackend,
  key: string,
  windowMs: number,
  options: OperationOptions | undefined,
): Promise<Counter | null> {
  const stored = await backend.get(key, options);
  if (stored === null) return null;
  if (parseCounter(stored) === undefined) throw notACounter(backend, key);
  // The counter may expire between the two calls; the zero increment then starts a window at 0,
  // which admits no more than a window started by the next call would.
  return backend.increment(key, 0, { ...options, ttl: windowMs });
}

/**
 * The ms until a window counter resets. A counter without expiry was not written by a limiter
 * (it would never reset); the base class's `increment` cannot read a live key's expiry
 * (`undefined`), so the window length bounds it.
 */
export function windowTtl(
  backend: KVBackend,
  key: string,
  counter: Counter,
  windowMs: number,
): number {
  if (counter.ttl === null) {
    throw new KVError({
      code: 'NOT_A_COUNTER',
      backend: backend.name,
      op: 'increment',
      key,
      detail: 'a window counter without expiry: the key was written by something else',
    });
  }
  return counter.ttl ?? windowMs;
}

function notACounter(backend: KVBackend, key: string): KVError {
  return new KVError({
    code: 'NOT_A_COUNTER',
    backend: backend.name,
    op: 'get',
    key,
    detail: 'the stored value is not a counter: the key was written by something else',
  });
}
