// The adapters' option verdicts, side by side: every adapter reads its options with core's
// adapter kit, so an option they share gets the same verdict on each. It lives here because
// this package already depends on every published adapter. Options are checked before any I/O,
// so no server is needed: Postgres and Redis are asked through their validation step (their
// documented-unstable `internal` entry points), memory through its factory.
import { isKVError } from '@strongbox/core';
import { createMemoryBackend } from '@strongbox/memory';
import { resolvePostgresOptions } from '@strongbox/postgres/internal';
import { resolveRedisOptions } from '@strongbox/redis/internal';
import { describe, expect, it } from 'vitest';

type Verdict = 'accepted' | 'INVALID_CONFIG';

interface Adapter {
  name: string;
  /** Options every call needs on this adapter (where to connect), merged under the tested ones. */
  base: Record<string, unknown>;
  /** Resolves once `options` passed validation; rejects with its KVError otherwise. */
  check(options: unknown): Promise<unknown>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'memory',
    base: {},
    check: async (options) => {
      const backend = await createMemoryBackend(options as never);
      await backend.close();
    },
  },
  {
    name: 'postgres',
    base: { url: 'postgres://localhost/strongbox' },
    check: async (options) => resolvePostgresOptions(options),
  },
  {
    name: 'redis',
    base: { url: 'redis://localhost:6379' },
    check: async (options) => resolveRedisOptions(options as never),
  },
];

/** One shared option value and its verdict on every adapter that has the option. */
const TABLE: [Record<string, unknown>, Verdict][] = [
  [{ operationTimeout: 2.5 }, 'accepted'],
  [{ operationTimeout: 1 }, 'accepted'],
  [{ operationTimeout: 2 ** 31 - 1 }, 'accepted'],
  [{ operationTimeout: 0 }, 'INVALID_CONFIG'],
  [{ operationTimeout: -1 }, 'INVALID_CONFIG'],
  [{ operationTimeout: 2 ** 31 }, 'INVALID_CONFIG'],
  [{ operationTimeout: Number.NaN }, 'INVALID_CONFIG'],
  [{ operationTimeout: Number.POSITIVE_INFINITY }, 'INVALID_CONFIG'],
  [{ operationTimeout: '5000' }, 'INVALID_CONFIG'],
  [{ redactKeys: true }, 'accepted'],
  [{ redactKeys: 'yes' }, 'INVALID_CONFIG'],
  [{ redactKeys: 1 }, 'INVALID_CONFIG'],
  [{ combine: false }, 'accepted'],
  [{ combine: 'off' }, 'INVALID_CONFIG'],
  [{ operationTimeout: undefined, redactKeys: undefined, combine: undefined }, 'accepted'],
];

/** Options only some adapters have, with the adapters that have them. */
const PARTIAL_TABLE: [string[], Record<string, unknown>, Verdict][] = [
  [['memory', 'postgres'], { onError: () => undefined }, 'accepted'],
  [['memory', 'postgres'], { onError: 'log' }, 'INVALID_CONFIG'],
  [['postgres', 'redis'], { connectionErrorPatterns: ['refused'] }, 'accepted'],
  [['postgres', 'redis'], { connectionErrorPatterns: 'refused' }, 'INVALID_CONFIG'],
  [['postgres', 'redis'], { connectionErrorPatterns: [1] }, 'INVALID_CONFIG'],
  // Redis hands every option it does not read to ioredis, so only these reject unknown names.
  [['memory', 'postgres'], { sweepIntervalMs: 10 }, 'INVALID_CONFIG'],
];

/** Not an options object at all, on every adapter. */
const NOT_OBJECTS: unknown[] = ['fast', 42, null, []];

async function verdictOf(adapter: Adapter, options: unknown): Promise<Verdict | string> {
  try {
    await adapter.check(options);
    return 'accepted';
  } catch (error) {
    if (isKVError(error)) {
      expect(error.backend).toBe(adapter.name);
      return error.code;
    }
    return `threw ${String(error)}`;
  }
}

describe('one verdict per option on every adapter', () => {
  it.each(TABLE)('%o: %s', async (options, verdict) => {
    for (const adapter of ADAPTERS) {
      expect(await verdictOf(adapter, { ...adapter.base, ...options }), adapter.name).toBe(verdict);
    }
  });

  it.each(PARTIAL_TABLE)('%j %o: %s', async (names, options, verdict) => {
    for (const adapter of ADAPTERS.filter((candidate) => names.includes(candidate.name))) {
      expect(await verdictOf(adapter, { ...adapter.base, ...options }), adapter.name).toBe(verdict);
    }
  });

  it.each(NOT_OBJECTS)('options %j: INVALID_CONFIG', async (options) => {
    for (const adapter of ADAPTERS) {
      expect(await verdictOf(adapter, options), adapter.name).toBe('INVALID_CONFIG');
    }
  });
});
