import { randomUUID } from 'node:crypto';
import type { KVBackend } from '@strongbox/core';

/** Login sessions that expire after `ttl` ms of inactivity: an app module under test. */
export class Sessions {
  constructor(
    private readonly kv: KVBackend,
    private readonly ttl: number,
  ) {}

  /** Start a session for `userId`; resolves its id. */
  async start(userId: string): Promise<string> {
    const id = randomUUID();
    await this.kv.set(`session:${id}`, userId, { ttl: this.ttl });
    return id;
  }

  /** The session's user, or null when it expired; each use extends it by `ttl`. */
  async touch(id: string): Promise<string | null> {
    const key = `session:${id}`;
    const userId = await this.kv.get(key);
    // A CAS, not a set: a session ended meanwhile must not be brought back.
    if (userId === null || !(await this.kv.checkAndSet(key, userId, userId, { ttl: this.ttl }))) {
      return null;
    }
    return userId;
  }

  /** End the session. */
  async end(id: string): Promise<void> {
    await this.kv.delete(`session:${id}`);
  }
}
