import { setImmediate as nextTurn } from 'node:timers/promises';
import { KVBackendBase } from '../src/backend-base.js';
import { createPrng, type Prng } from '../src/conformance/linearizability/prng.js';

/** How an in-test backend serves a call. */
export interface TestBackendOptions {
  /**
   * `immediate`: the op runs synchronously inside the call, like the memory adapter.
   * `network`: the op runs after a request leg and answers after a response leg, each a random
   * number of event-loop turns, like a networked adapter; `dropConnections` can cut them.
   * `serialized`: every op waits its turn in one queue and runs one event-loop turn after the
   * previous one, like an embedded store that rewrites a file per call: correct, but its CAS
   * calls lose more races (every call queued between a client's read and its CAS runs first).
   */
  latency: 'immediate' | 'network' | 'serialized';
  /** The broken CAS: read, yield, then write, so a concurrent write can slip in between. */
  nonAtomicCas?: boolean;
  /** The broken error handling: a call cut by `dropConnections` is reported as surely not applied. */
  dropsLookDefinite?: boolean;
  /** Seeds the leg lengths and whether a dropped request still reaches the "server". */
  seed?: number;
  /** KVBackendBase's `combine` option: combine concurrent increments of a key (default true). */
  combine?: boolean;
}

/** A call on the wire: cut by `dropConnections`. */
interface InFlight {
  dropped: boolean;
  fail(error: Error): void;
}

/**
 * A Map-backed backend for core's own tests (core cannot depend on the memory adapter), with
 * a switchable atomicity defect and connection drops that leave writes indeterminate.
 */
export class LinearizabilityTestBackend extends KVBackendBase {
  readonly #store = new Map<string, string>();
  readonly #inFlight = new Set<InFlight>();
  readonly #options: TestBackendOptions;
  readonly #prng: Prng;
  /** The end of the `serialized` queue. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: TestBackendOptions) {
    super({
      name: `test-${options.latency}${options.nonAtomicCas ? '-non-atomic-cas' : ''}`,
      ...(options.combine === undefined ? {} : { combine: options.combine }),
    });
    this.#options = options;
    this.#prng = createPrng(options.seed ?? 1);
  }

  /** Reject every call in flight as a reset connection; a request already sent may still apply. */
  /** Cut the one simulated connection, failing the calls on it; resolves 1 (connections cut). */
  async dropConnections(): Promise<number> {
    for (const call of this.#inFlight) {
      call.dropped = true;
      call.fail(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    }
    this.#inFlight.clear();
    return 1;
  }

  protected doGet(key: string) {
    return this.#serve(() => this.#store.get(key) ?? null);
  }

  protected doSet(key: string, value: string) {
    return this.#serve(() => {
      this.#store.set(key, value);
    });
  }

  protected async doCheckAndSet(key: string, expected: string | null, next: string) {
    if (!this.#options.nonAtomicCas) {
      return this.#serve(() => this.#matches(key, expected) && this.#write(key, next));
    }
    const matched = await this.#serve(() => this.#matches(key, expected));
    if (this.#options.latency === 'immediate') await Promise.resolve();
    return matched && this.#serve(() => this.#write(key, next));
  }

  protected doCheckAndDelete(key: string, expected: string) {
    return this.#serve(() => this.#matches(key, expected) && this.#store.delete(key));
  }

  protected doDelete(key: string) {
    return this.#serve(() => this.#store.delete(key));
  }

  protected doPing() {
    return this.#serve(() => undefined);
  }

  protected async doClose() {}

  protected override mayHaveBeenApplied(): boolean {
    return !this.#options.dropsLookDefinite;
  }

  #matches(key: string, expected: string | null): boolean {
    return (this.#store.get(key) ?? null) === expected;
  }

  #write(key: string, value: string): true {
    this.#store.set(key, value);
    return true;
  }

  #serve<T>(apply: () => T): Promise<T> {
    if (this.#options.latency === 'immediate') return Promise.resolve(apply());
    if (this.#options.latency === 'serialized') {
      const turn = this.#tail.then(async () => {
        await nextTurn();
        return apply();
      });
      this.#tail = turn.catch(() => undefined);
      return turn;
    }
    return new Promise<T>((resolve, reject) => {
      const call: InFlight = { dropped: false, fail: reject };
      this.#inFlight.add(call);
      void this.#legs(call, apply, resolve);
    });
  }

  async #legs<T>(call: InFlight, apply: () => T, resolve: (value: T) => void): Promise<void> {
    await this.#leg();
    // A request cut on the wire may or may not have reached the server.
    if (call.dropped && this.#prng.next() < 0.5) return;
    const result = apply();
    await this.#leg();
    if (call.dropped) return;
    this.#inFlight.delete(call);
    resolve(result);
  }

  async #leg(): Promise<void> {
    for (let turns = this.#prng.below(3); turns > 0; turns--) await nextTurn();
  }
}
