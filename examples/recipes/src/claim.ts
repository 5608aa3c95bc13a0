import type { KVBackend } from '@strongbox/core';
import { retryIfIndeterminate } from './retry-if-indeterminate.js';

/**
 * Store `token` at `key` if the key is absent, for `ttl` ms, and resolve the value the key
 * now holds: `token` when the claim is ours, someone else's value, or null. `token` must be
 * unique to this caller (a random UUID): that makes a repeated claim harmless and lets a
 * re-read tell whether an attempt whose outcome was lost did land.
 */
export async function claim(
  kv: KVBackend,
  key: string,
  token: string,
  ttl: number,
): Promise<string | null> {
  if (await retryIfIndeterminate(() => kv.checkAndSet(key, null, token, { ttl }))) return token;
  // A failed claim after an indeterminate one: the first attempt may be what is stored.
  return kv.get(key);
}
