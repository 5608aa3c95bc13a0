import { performance } from 'node:perf_hooks';
import type { KVBackend } from '../../backend.js';
import { isIndeterminate, isKVError } from '../../errors.js';
import { update } from '../../update.js';
import { stepFunction } from './counter-ops.js';
import type {
  CounterRefusal,
  HistoryOp,
  KnownStep,
  RegisterOp,
  RegisterOutput,
} from './history.js';

/**
 * Records every operation its clients run against a backend, for the linearizability
 * checker. Create one per workload, then one {@link RecordingClient} per concurrent caller.
 */
export class HistoryRecorder {
  readonly #log = new OpLog();

  /** A client that records what it runs on `backend` under logical id `name`. */
  client(backend: KVBackend, name: string): RecordingClient {
    return new RecordingClient(backend, name, this.#log);
  }

  /** The operations recorded so far, in invocation order. */
  history(): readonly HistoryOp[] {
    return [...this.#log.ops].sort((a, b) => a.id - b.id);
  }
}

/** The operations of one recorder; ids follow invocation order. */
class OpLog {
  readonly ops: HistoryOp[] = [];
  #nextId = 0;

  nextId(): number {
    return this.#nextId++;
  }
}

/**
 * One logical client: it runs one operation at a time and records each one. After an
 * indeterminate rejection the old logical client stays pending forever (its write may land
 * at any later time), so this client continues under a fresh logical id, as Jepsen does.
 */
export class RecordingClient {
  readonly #backend: KVBackend;
  readonly #log: { readonly ops: HistoryOp[]; nextId(): number };
  readonly #name: string;
  #generation = 0;
  #busy = false;

  /** @internal Use {@link HistoryRecorder.client}. */
  constructor(
    backend: KVBackend,
    name: string,
    log: { readonly ops: HistoryOp[]; nextId(): number },
  ) {
    this.#backend = backend;
    this.#name = name;
    this.#log = log;
  }

  /** The current logical id: the name, then `name.1`, `name.2`, ... after indeterminate errors. */
  get id(): string {
    return this.#generation === 0 ? this.#name : `${this.#name}.${this.#generation}`;
  }

  get(key: string): Promise<string | null> {
    return this.#record(key, { name: 'get' }, () => this.#backend.get(key));
  }

  set(key: string, value: string): Promise<void> {
    return this.#record<undefined>(key, { name: 'set', value }, () =>
      this.#backend.set(key, value).then(() => undefined),
    );
  }

  checkAndSet(key: string, expected: string | null, next: string): Promise<boolean> {
    return this.#record(key, { name: 'checkAndSet', expected, next }, () =>
      this.#backend.checkAndSet(key, expected, next),
    );
  }

  checkAndDelete(key: string, expected: string): Promise<boolean> {
    return this.#record(key, { name: 'checkAndDelete', expected }, () =>
      this.#backend.checkAndDelete(key, expected),
    );
  }

  delete(key: string): Promise<boolean> {
    return this.#record(key, { name: 'delete' }, () => this.#backend.delete(key));
  }

  /**
   * `increment` on the backend; recorded with the counter's value. A `NOT_A_COUNTER` or
   * `COUNTER_OVERFLOW` rejection is recorded as that answer (it says what the key held), and
   * still rejects.
   */
  async increment(key: string, delta: number): Promise<number> {
    return this.#record(
      key,
      { name: 'increment', delta },
      async () => (await this.#backend.increment(key, delta)).value,
      counterRefusal,
    );
  }

  /** `update` from `@strongbox/core` with a step the model knows; recorded with its result. */
  update(key: string, step: KnownStep): Promise<string | number | null> {
    return this.#record(key, { name: 'update', step }, () =>
      update(this.#backend, key, stepFunction(step)),
    );
  }

  async #record<T extends RegisterOutput>(
    key: string,
    op: RegisterOp,
    call: () => Promise<T>,
    answerOf: (error: unknown) => RegisterOutput = () => undefined,
  ): Promise<T> {
    if (this.#busy) {
      throw new Error(`client ${this.id} runs one operation at a time; await the previous one`);
    }
    this.#busy = true;
    const base = { id: this.#log.nextId(), client: this.id, key, op };
    const invokedAt = performance.now();
    try {
      const output = await call();
      this.#log.ops.push({
        ...base,
        invokedAt,
        completedAt: performance.now(),
        result: { status: 'ok', output },
      });
      return output;
    } catch (error) {
      const completedAt = performance.now();
      const answer = answerOf(error);
      if (answer !== undefined) {
        this.#log.ops.push({
          ...base,
          invokedAt,
          completedAt,
          result: { status: 'ok', output: answer },
        });
      } else if (isIndeterminate(error)) {
        this.#log.ops.push({
          ...base,
          invokedAt,
          completedAt: undefined,
          result: { status: 'indeterminate', error },
        });
        this.#generation++;
      } else {
        this.#log.ops.push({
          ...base,
          invokedAt,
          completedAt,
          result: { status: 'failed', error },
        });
      }
      throw error;
    } finally {
      this.#busy = false;
    }
  }
}

/** The refusal an increment's rejection answers with, if it is one. */
function counterRefusal(error: unknown): CounterRefusal | undefined {
  if (isKVError(error, 'NOT_A_COUNTER') || isKVError(error, 'COUNTER_OVERFLOW'))
    return error.code as CounterRefusal;
  return undefined;
}
