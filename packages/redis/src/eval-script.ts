import type { Cluster, Redis } from 'ioredis';
import type { RedisScript } from './scripts.js';

/**
 * Run a one-key script in one round trip: EVALSHA, and only when the server does not know the
 * script (first use, restart, SCRIPT FLUSH) a second call, EVAL, which also caches it again.
 * NOSCRIPT means nothing ran, so sending EVAL then is safe.
 */
export function evalScript(
  client: Redis | Cluster,
  script: RedisScript,
  key: string,
  args: readonly string[],
): Promise<unknown> {
  // A plain promise chain, not an async function: one promise fewer on every CAS.
  return client.evalsha(script.sha, 1, key, ...args).catch((error: unknown) => {
    if (!isNoScript(error)) throw error;
    return client.eval(script.lua, 1, key, ...args);
  });
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
