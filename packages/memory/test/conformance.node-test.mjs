// The conformance suite under node:test, on the built packages (run by conformance-node-test.test.ts).
import { describe, it } from 'node:test';
import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { createMemoryBackend } from '@strongbox/memory';

describeConformance({
  name: '@strongbox/memory under node:test',
  create: () => createMemoryBackend(),
  runner: { describe, it: (name, fn) => it(name, { timeout: CONFORMANCE_TEST_TIMEOUT_MS }, fn) },
});
