import { randomUUID } from 'node:crypto';
import type { KVBackend } from '@strongbox/core';

/** Settings of a {@link FixedWindowLimiter}. */
export interface FixedWindowLimiterOptions {
  /** Where the windows live; any Strongbox backend. */
  backend: KVBackend;
  /** Most requests one window admits. */
  limit: number;
  /** Length of a window in ms, measured on the backend's clock. */
  windowMs: number;
  /** Prefix of the window keys (default `ratelimit:`). */
  keyPrefix?: string;
  /** CAS attempts before giving up on a hot key and denying (default 50). */
  maxAttempts?: number;
}

/** The answer to one request. */
export interface Decision {
  allowed: boolean;
  /** `admitted`, `limit` (the window is full) or `contention` (CAS kept losing; fail closed). */
  reason: 'admitted' | 'limit' | 'contention';
  /** The window that decided, when one did. */
  windowId?: string;
  /** The window's count after this decision. */
  count?: number;
  /** CAS attempts lost to concurrent requests before this decision. */
  conflicts: number;
}

/** One window as stored: a random id (so admissions can be grouped per window) and a count. */
interface WindowState {
  id: string;
  count: number;
}

/**
 * A fixed-window rate limiter built only on `get` and `checkAndSet`. The first request opens a
 * window with a TTL; later ones increment its count with `keepTtl`, so the window ends when the
 * backend's clock says so, whichever client wrote last. A lost CAS means another request got in
 * first: re-read and retry. The limit can never be exceeded because every admission is a CAS
 * from the count it saw.
 */
export class FixedWindowLimiter {
  readonly #backend: KVBackend;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #keyPrefix: string;
  readonly #maxAttempts: number;

  constructor(options: FixedWindowLimiterOptions) {
    this.#backend = options.backend;
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#keyPrefix = options.keyPrefix ?? 'ratelimit:';
    this.#maxAttempts = options.maxAttempts ?? 50;
  }

  /** Decide one request of `subject` (a client id, an IP, an API key...). */
  async acquire(subject: string): Promise<Decision> {
    const key = this.#keyPrefix + subject;
    for (let conflicts = 0; conflicts < this.#maxAttempts; conflicts++) {
      const stored = await this.#backend.get(key);
      const current = stored === null ? undefined : parseWindow(stored);
      if (current !== undefined && current.count >= this.#limit) {
        return {
          allowed: false,
          reason: 'limit',
          windowId: current.id,
          count: current.count,
          conflicts,
        };
      }
      const next = current
        ? { id: current.id, count: current.count + 1 }
        : { id: randomUUID().slice(0, 8), count: 1 };
      const options = current ? { keepTtl: true } : { ttl: this.#windowMs };
      if (await this.#backend.checkAndSet(key, stored, formatWindow(next), options)) {
        return {
          allowed: true,
          reason: 'admitted',
          windowId: next.id,
          count: next.count,
          conflicts,
        };
      }
    }
    return { allowed: false, reason: 'contention', conflicts: this.#maxAttempts };
  }
}

function formatWindow(window: WindowState): string {
  return `${window.id}:${window.count}`;
}

function parseWindow(stored: string): WindowState {
  const separator = stored.lastIndexOf(':');
  const count = Number(stored.slice(separator + 1));
  if (separator < 1 || !Number.isSafeInteger(count) || count < 1) {
    throw new Error(`not a rate-limit window: ${JSON.stringify(stored)}`);
  }
  return { id: stored.slice(0, separator), count };
}
