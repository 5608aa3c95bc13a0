import type { CallContext, KVBackend, KVOperation, OperationOptions } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** Calls that fail after the connections were cut, before the backend has reconnected by itself. */
const FAILED_CALLS_PER_DROP = 8;

/**
 * A memory backend posing as a networked one: after `dropConnections()` the next calls fail, as
 * they would on a driver whose connections were cut, until it has reconnected. Counting calls
 * rather than time keeps the fixture deterministic on a loaded machine.
 */
export class DroppableConnectionsBackend extends MemoryBackend {
  #callsToFail = 0;

  /** Cut the connections (one, as far as the suite can tell); they come back by themselves. */
  dropConnections(): number {
    this.#callsToFail = FAILED_CALLS_PER_DROP;
    return 1;
  }

  /** The error the driver throws while its connections are down. */
  protected connectionError(): Error {
    return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104 });
  }

  protected override run<T>(
    op: KVOperation,
    key: string | undefined,
    options: OperationOptions | undefined,
    work: (call: CallContext) => Promise<T>,
  ): Promise<T> {
    if (this.#callsToFail === 0) return super.run(op, key, options, work);
    this.#callsToFail--;
    return super.run(op, key, options, () => Promise.reject(this.connectionError()));
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
  defect: 'none (control): after a drop, the next calls fail with ECONNRESET',
  breaks: [],
  create: async () => new DroppableConnectionsBackend(),
  faults: droppableFaults,
};
