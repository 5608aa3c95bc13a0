import type { Redis } from 'ioredis';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis } from 'rate-limiter-flexible';
import { type CounterContender, NEVER_DENY, WINDOW_MS } from './counter-contender.js';

/** rate-limiter-flexible's options for the cells: one fixed window of WINDOW_MS. */
const LIMIT = { points: NEVER_DENY, duration: WINDOW_MS / 1000 };

/** rate-limiter-flexible's fixed window as a contender: `consume(key)` per call. */
function contender(
  limiter: { consume(key: string): Promise<unknown> },
  description: string,
  close: () => Promise<void>,
): CounterContender {
  return { kind: 'rate-limiter-flexible', description, hit: (key) => limiter.consume(key), close };
}

export function rlfMemory(): CounterContender {
  return contender(
    new RateLimiterMemory(LIMIT),
    'rate-limiter-flexible 11 RateLimiterMemory',
    async () => {},
  );
}

/** On the caller's ioredis client (which the caller closes). */
export function rlfRedis(client: Redis): CounterContender {
  const limiter = new RateLimiterRedis({ ...LIMIT, storeClient: client, keyPrefix: 'rlf' });
  return contender(
    limiter,
    'rate-limiter-flexible 11 RateLimiterRedis (ioredis, its Lua upsert)',
    async () => {},
  );
}

/** On a pg pool of `max` connections, its own table (created before anything is timed). */
export async function rlfPostgres(
  url: string,
  Pool: typeof pg.Pool,
  max: number,
): Promise<CounterContender> {
  const pool = new Pool({ connectionString: url, max });
  const limiter = await new Promise<RateLimiterPostgres>((resolve, reject) => {
    const created: RateLimiterPostgres = new RateLimiterPostgres(
      { ...LIMIT, storeClient: pool, tableName: 'rlf_bench', clearExpiredByTimeout: false },
      (error?: Error) => (error ? reject(error) : resolve(created)),
    );
  });
  return contender(
    limiter,
    `rate-limiter-flexible 11 RateLimiterPostgres (pg pool of ${max}, one upsert per call)`,
    () => pool.end(),
  );
}
