import type { KVBackend } from '../backend.js';
import { ConformanceHarness } from './harness.js';
import { registerLinearizabilityTests } from './linearizability/register-tests.js';
import type { ConformanceOptions } from './options.js';
import { registerAbortTests } from './rules/abort.js';
import { registerAtomicityTests } from './rules/atomicity.js';
import { registerBasicTests } from './rules/basic.js';
import { registerCheckAndDeleteTests } from './rules/check-and-delete.js';
import { registerCheckAndSetTests } from './rules/check-and-set.js';
import { registerClockTests } from './rules/clock.js';
import { registerCloseTests } from './rules/close.js';
import { registerDeadlineTests } from './rules/deadline.js';
import { registerErrorTests } from './rules/errors.js';
import { registerExpiredTests } from './rules/expired.js';
import { registerFaultTests } from './rules/faults.js';
import { registerIncrementTests } from './rules/increment.js';
import { registerIsolationTests } from './rules/isolation.js';
import { registerKeepTtlTests } from './rules/keep-ttl.js';
import { registerKeyTests } from './rules/keys.js';
import { registerPrecedenceTests } from './rules/precedence.js';
import { registerTtlTests } from './rules/ttl.js';
import { registerValidationTests } from './rules/validation.js';
import { registerValueTests } from './rules/values.js';

/**
 * Register the Strongbox conformance suite with `options.runner`: one test per rule of the
 * contract, each named `[rule.id] what it checks` (see `docs/contract.md`). Each test creates
 * its own backend with `options.create()` and destroys it before it settles; group bodies do
 * no I/O. Give the runner a per-test timeout of {@link CONFORMANCE_TEST_TIMEOUT_MS}. `B`, your
 * backend's type, is inferred from `create`; `destroy` and `faults` receive it.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
 *
 * describeConformance({
 *   name: '@acme/strongbox-adapter',
 *   create: () => createAcmeBackend({ namespace: crypto.randomUUID() }),
 *   runner: { describe, it: (name, fn) => it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS) },
 * });
 * ```
 */
export function describeConformance<B extends KVBackend>(given: ConformanceOptions<B>): void {
  // The suite hands `destroy` and `faults` only backends that `create` made, which are `B`s.
  const options = given as unknown as ConformanceOptions;
  const suite = new ConformanceHarness(options);
  suite.group(options.name, () => {
    suite.group('get, set, delete, ping', () => registerBasicTests(suite));
    suite.group('values', () => registerValueTests(suite));
    suite.group('keys', () => registerKeyTests(suite));
    suite.group('checkAndSet', () => registerCheckAndSetTests(suite));
    suite.group('checkAndDelete', () => registerCheckAndDeleteTests(suite));
    suite.group('increment', () => registerIncrementTests(suite, options));
    suite.group('ttl', () => registerTtlTests(suite));
    suite.group('keepTtl', () => registerKeepTtlTests(suite));
    suite.group('expired keys', () => registerExpiredTests(suite));
    suite.group("the backend's clock", () => registerClockTests(suite));
    suite.group('validation', () => registerValidationTests(suite));
    suite.group('precedence', () => registerPrecedenceTests(suite));
    suite.group('abort', () => registerAbortTests(suite));
    suite.group('deadlines', () => registerDeadlineTests(suite));
    suite.group('close', () => registerCloseTests(suite));
    suite.group('errors', () => registerErrorTests(suite, options.faults));
    suite.group('isolation', () => registerIsolationTests(suite));
    suite.group('atomicity', () => registerAtomicityTests(suite));
    suite.group('linearizability', () => registerLinearizabilityTests(suite, options));
    const { faults } = options;
    if (faults !== undefined) suite.group('faults', () => registerFaultTests(suite, faults));
  });
}
