// One "app process" of the multi-process test: many concurrent callers on one key per strategy,
// on the backend named by argv, with the app clock frozen at the time the parent chose. Prints
// how many calls each strategy admitted, and every failure, as JSON. Runs on the built dist.
import { createPostgresBackend } from '@strongbox/postgres';
import {
  createRateLimiter,
  fixedWindow,
  gcra,
  leakyBucket,
  slidingWindow,
  tokenBucket,
} from '@strongbox/ratelimit';
import { createRedisBackend } from '@strongbox/redis';

const { kind, target, namespace, bound, callers, frozen } = JSON.parse(process.argv[2]);
const strategies = {
  fixedWindow: fixedWindow({ limit: bound, windowMs: 600_000 }),
  slidingWindow: slidingWindow({ limit: bound, windowMs: 600_000 }),
  tokenBucket: tokenBucket({ capacity: bound, refillPerSecond: 1 }),
  leakyBucket: leakyBucket({ capacity: bound, leakPerSecond: 1 }),
  gcra: gcra({ limit: 1, periodMs: 1_000, burst: bound }),
};
const backend =
  kind === 'postgres'
    ? await createPostgresBackend({ url: target, table: namespace, max: 4 })
    : kind === 'redis'
      ? await createRedisBackend({ url: target, keyPrefix: `${namespace}:` })
      : await createRedisBackend({ cluster: { nodes: target }, keyPrefix: `${namespace}:` });
const admitted = {};
const failures = [];
try {
  await Promise.all(
    Object.entries(strategies).map(async ([name, strategy]) => {
      const limiter = createRateLimiter({
        backend,
        strategy,
        onBackendFailure: 'closed',
        now: () => frozen,
      });
      const decisions = await Promise.all(
        Array.from({ length: callers }, () => limiter.allow('hot')),
      );
      admitted[name] = decisions.filter((d) => d.allowed).length;
      for (const d of decisions) if (d.failure) failures.push(d.failure.message);
    }),
  );
} finally {
  await backend.close();
}
console.log(JSON.stringify({ admitted, failures }));
