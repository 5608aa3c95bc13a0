import type { KVBackend } from '../backend.js';
import type { ConformanceOptions } from './options.js';

/** What a conformance test body receives. */
export interface TestContext {
  /** A fresh backend from the caller's `create()`, destroyed when the test ends. */
  readonly backend: KVBackend;
  /** Another fresh backend from `create()`, also destroyed when the test ends. */
  createAnother(): Promise<KVBackend>;
}

/** The body of one conformance test. */
export type TestBody = (context: TestContext) => Promise<void>;

/** Rule ids are dotted lowercase words: `cas.absent`, `validate.ttl.negative`. */
const RULE_ID = /^[a-z]+(?:-[a-z]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$/;

/**
 * Registers tests with the caller's runner. Every test name starts with its rule id in
 * brackets (`[cas.absent] ...`), the handle `docs/contract.md` and the broken-adapter
 * fixtures use; each id names exactly one test.
 */
export class ConformanceHarness {
  readonly #options: ConformanceOptions;
  readonly #ruleIds = new Set<string>();

  constructor(options: ConformanceOptions) {
    this.#options = options;
  }

  /** Declare a group of tests; `register` only declares tests. */
  group(name: string, register: () => void): void {
    this.#options.runner.describe(name, register);
  }

  /** Declare the test of rule `ruleId`. */
  test(ruleId: string, title: string, body: TestBody): void {
    if (!RULE_ID.test(ruleId)) throw new Error(`malformed rule id ${JSON.stringify(ruleId)}`);
    if (this.#ruleIds.has(ruleId)) throw new Error(`rule id ${ruleId} is used twice`);
    this.#ruleIds.add(ruleId);
    this.#options.runner.it(`[${ruleId}] ${title}`, () => this.#run(body));
  }

  async #run(body: TestBody): Promise<void> {
    const created: KVBackend[] = [];
    const create = async () => {
      const backend = await this.#options.create();
      created.push(backend);
      return backend;
    };
    let failure: { error: unknown } | undefined;
    try {
      await body({ backend: await create(), createAnother: create });
    } catch (error) {
      failure = { error };
    }
    const destroy = this.#options.destroy ?? ((backend: KVBackend) => backend.close());
    for (const backend of created.reverse()) {
      try {
        await destroy(backend);
      } catch (error) {
        // The test's own failure is the more useful report; a destroy failure fails a passing test.
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }
}
