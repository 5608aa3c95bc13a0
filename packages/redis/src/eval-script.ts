import type { Cluster, Redis } from 'ioredis';
import type { RedisScript } from './scripts.js';

/**
 * Runs one-key scripts on `client` in one round trip each: EVALSHA, and only when the server
 * does not know the script (first use, restart, failover, SCRIPT FLUSH) a second call, EVAL,
 * which also caches it again. NOSCRIPT means nothing ran, so sending EVAL then is safe.
 *
 * It also knows whether an EVALSHA still waits for its reply: such a call may yet send an
 * EVAL, which must go out before a QUIT (Redis closes a connection with unread input by
 * resetting it, and the replies still on their way are lost).
 */
export class ScriptRunner {
  readonly #client: Redis | Cluster;
  #awaitingReply = 0;
  #onAnswered: Array<() => void> = [];

  constructor(client: Redis | Cluster) {
    this.#client = client;
  }

  run(script: RedisScript, key: string, args: readonly string[]): Promise<unknown> {
    const client = this.#client;
    this.#awaitingReply += 1;
    // A plain promise chain, not an async function: one promise fewer on every CAS.
    return client.evalsha(script.sha, 1, key, ...args).then(
      (reply) => {
        this.#answered();
        return reply;
      },
      (error: unknown) => {
        // Sent before the call counts as answered, so it precedes a QUIT waiting for that.
        const retry = isNoScript(error) ? client.eval(script.lua, 1, key, ...args) : undefined;
        this.#answered();
        if (retry === undefined) throw error;
        return retry;
      },
    );
  }

  /** Resolves once every EVALSHA sent so far has its reply (and any EVAL it needed is sent). */
  whenAnswered(): Promise<void> {
    if (this.#awaitingReply === 0) return Promise.resolve();
    return new Promise((resolve) => this.#onAnswered.push(resolve));
  }

  #answered(): void {
    this.#awaitingReply -= 1;
    if (this.#awaitingReply === 0 && this.#onAnswered.length > 0) {
      for (const resolve of this.#onAnswered.splice(0)) resolve();
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
