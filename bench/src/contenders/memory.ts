import { createMemoryBackend } from '@strongbox/memory';
import { ALL_OPS, type Contender } from '../contender.js';
import { strongboxContender } from './strongbox.js';

/** The memory adapter and its baseline, a `Map` behind async functions. */
export async function memoryContenders(): Promise<Contender[]> {
  return [
    strongboxContender(await createMemoryBackend(), 'createMemoryBackend() defaults'),
    asyncMap(),
  ];
}

interface MapEntry {
  value: string;
  expiresAt: number;
}

/**
 * What an app writes without a library: a `Map` of value and expiry behind async functions,
 * expiry checked on read. Its check-and-set is the get+set pair such code does.
 */
function asyncMap(): Contender {
  const map = new Map<string, MapEntry>();
  const get = async (key: string): Promise<string | null> => {
    const entry = map.get(key);
    if (entry === undefined) return null;
    if (performance.now() < entry.expiresAt) return entry.value;
    map.delete(key);
    return null;
  };
  const set = async (key: string, value: string, ttlMs?: number): Promise<void> => {
    map.set(key, {
      value,
      expiresAt: ttlMs ? performance.now() + ttlMs : Number.POSITIVE_INFINITY,
    });
  };
  return {
    kind: 'map',
    description:
      'Map of {value, expiresAt} behind async functions; CAS = await get, then await set',
    ops: ALL_OPS,
    get,
    set,
    async checkAndSet(key, expected, next) {
      if ((await get(key)) !== expected) return false;
      await set(key, next);
      return true;
    },
    async delete(key) {
      return (await get(key)) !== null && map.delete(key);
    },
    async seed(keys, value) {
      for (const key of keys) await set(key, value);
    },
    async unseed(keys) {
      for (const key of keys) map.delete(key);
    },
    async close() {
      map.clear();
    },
  };
}
