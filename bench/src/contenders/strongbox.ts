import type { KVBackend } from '@strongbox/core';
import { ALL_OPS, type Contender } from '../contender.js';

/**
 * A Strongbox backend as a contender. `seed` and `unseed` default to the backend's own calls;
 * networked adapters pass bulk versions that go straight to the driver.
 */
export function strongboxContender(
  backend: KVBackend,
  description: string,
  bulk?: Pick<Contender, 'seed' | 'unseed'>,
): Contender {
  return {
    kind: 'strongbox',
    description,
    ops: ALL_OPS,
    get: (key) => backend.get(key),
    set: (key, value, ttlMs) =>
      ttlMs === undefined ? backend.set(key, value) : backend.set(key, value, { ttl: ttlMs }),
    checkAndSet: (key, expected, next) => backend.checkAndSet(key, expected, next),
    delete: (key) => backend.delete(key),
    seed:
      bulk?.seed ??
      (async (keys, value) => {
        for (const key of keys) await backend.set(key, value);
      }),
    unseed:
      bulk?.unseed ??
      (async (keys) => {
        for (const key of keys) await backend.delete(key);
      }),
    close: () => backend.close(),
  };
}
