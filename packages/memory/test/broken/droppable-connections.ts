import type { Counter, Expiry, KVBackend } from '@strongbox/core';
import { MemoryBackend } from '../../src/index.js';
import type { BrokenFixture } from './fixture.js';

/** Requests that fail after the connections were cut, before the backend has reconnected by itself. */
const FAILED_CALLS_PER_DROP = 8;

/** A request as the simulated driver sends it: the command and its arguments. */
export type DriverRequest = readonly [command: string, ...args: unknown[]];

/**
 * A memory backend posing as a networked one: after `dropConnections()` the next requests fail,
 * as they would on a driver whose connections were cut, until it has reconnected. Counting
 * requests rather than time keeps the fixture deterministic on a loaded machine. Like real
 * drivers (`postgres` keeps a failed query's `parameters`, ioredis its `command`), the driver's
 * error carries the request, values included: the adapter must not pass that on.
 */
export class DroppableConnectionsBackend extends MemoryBackend {
  #requestsToFail = 0;

  /** Cut the connections (one, as far as the suite can tell); they come back by themselves. */
  dropConnections(): number {
    this.#requestsToFail = FAILED_CALLS_PER_DROP;
    return 1;
  }

  /** The error the driver throws for `request` while its connections are down. */
  protected connectionError(request: DriverRequest): Error {
    return Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      errno: -104,
      command: request,
    });
  }

  /** Send `request` to the simulated server, which `serve` answers while connected. */
  #send<T>(request: DriverRequest, serve: () => Promise<T>): Promise<T> {
    if (this.#requestsToFail === 0) return serve();
    this.#requestsToFail--;
    return Promise.reject(this.connectionError(request));
  }

  protected override doGet(key: string): Promise<string | null> {
    return this.#send(['GET', key], () => super.doGet(key));
  }

  protected override doSet(key: string, value: string, expiry: Expiry): Promise<void> {
    return this.#send(['SET', key, value, expiry], () => super.doSet(key, value, expiry));
  }

  protected override doCheckAndSet(
    key: string,
    expected: string | null,
    next: string,
    expiry: Expiry,
  ): Promise<boolean> {
    return this.#send(['CAS', key, expected, next, expiry], () =>
      super.doCheckAndSet(key, expected, next, expiry),
    );
  }

  protected override doCheckAndDelete(key: string, expected: string): Promise<boolean> {
    return this.#send(['CAD', key, expected], () => super.doCheckAndDelete(key, expected));
  }

  protected override doDelete(key: string): Promise<boolean> {
    return this.#send(['DEL', key], () => super.doDelete(key));
  }

  protected override doIncrement(key: string, delta: number, ttl: number): Promise<Counter> {
    return this.#send(['INCR', key, delta, ttl], () => super.doIncrement(key, delta, ttl));
  }

  protected override doPing(): Promise<void> {
    return this.#send(['PING'], () => super.doPing());
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
  defect: 'none (control): after a drop, the next requests fail with ECONNRESET',
  breaks: [],
  create: async () => new DroppableConnectionsBackend(),
  faults: droppableFaults,
};
