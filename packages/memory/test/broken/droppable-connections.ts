import type { KVBackend, KVOperation, OperationOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** How long a dropped "connection" stays down before the backend reconnects by itself. */
const DOWN_MS = 50;

/**
 * A memory backend posing as a networked one: `dropConnections()` makes every call fail, as a
 * driver whose connections were cut would, until it has reconnected {@link DOWN_MS} later.
 */
export class DroppableConnectionsBackend extends MemoryBackend {
  #downUntil = Number.NEGATIVE_INFINITY;

  /** Cut the connections; they come back by themselves. */
  dropConnections(): void {
    this.#downUntil = performance.now() + DOWN_MS;
  }

  /** The error the driver throws while its connections are down. */
  protected connectionError(): Error {
    return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104 });
  }

  protected override run<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    const connected = () =>
      performance.now() < this.#downUntil ? Promise.reject(this.connectionError()) : work();
    return super.run(op, key, options, connected);
  }
}

/** The suite's fault hooks for {@link DroppableConnectionsBackend}s. */
export const droppableFaults = {
  dropConnections: async (backend: KVBackend) =>
    (backend as DroppableConnectionsBackend).dropConnections(),
};

/** The control for the fault tests: dropped connections fail calls as unhealthy, then recover. */
export const droppableConnections: BrokenFixture = {
  name: 'droppable-connections',
  defect: 'none (control): dropped connections fail calls with ECONNRESET for 50 ms',
  breaks: [],
  create: async () => new DroppableConnectionsBackend(),
  faults: droppableFaults,
};
