/** Where lanes get their connections from; see `reserved-connection.ts` for porsager's. */
export interface LaneSource<C> {
  /** A connection for the exclusive use of one lane. */
  open(): Promise<C>;
  /** False once the connection is lost: its lane then takes no more work. */
  isAlive(connection: C): boolean;
  /** A task on `connection` failed with `error`: the source may now count it as lost. */
  noteFailure(connection: C, error: unknown): void;
  /** Whether a task started now on a busy `connection` would be sent at once, not queued. */
  acceptsMore(connection: C): boolean;
  /**
   * True once `connection` is too old to keep: its lane takes no more work and is handed
   * back as soon as nothing runs on it.
   */
  isRetiring(connection: C): boolean;
  /** Hand a live connection back to where it came from (or close it, if it is too old). */
  release(connection: C): void;
}

/**
 * Why waiting tasks were rejected: no lane could be opened for them (the source failed, the
 * `cause`, or took longer than `openTimeoutMs`). None of them was started.
 */
export class LaneOpenError extends Error {
  override readonly name = 'LaneOpenError';
}

/**
 * `source.open()`, bounded: rejects with a {@link LaneOpenError} when the source fails or
 * takes longer than `timeoutMs`, so an opening the source never finishes cannot stop the
 * lanes from growing for good. A connection that comes after the timeout is handed back.
 */
export function openLane<C>(source: LaneSource<C>, timeoutMs: number): Promise<C> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new LaneOpenError(`no connection could be opened within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    source.open().then(
      (connection) => {
        clearTimeout(timer);
        if (timedOut) source.release(connection);
        else resolve(connection);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) reject(new LaneOpenError('no connection could be opened', { cause: error }));
      },
    );
  });
}
