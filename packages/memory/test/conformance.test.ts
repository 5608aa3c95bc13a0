import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { describe, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

describeConformance({
  name: '@strongbox/memory',
  create: () => createMemoryBackend(),
  requireCounterTtl: true,
  runner: { describe, it: (name, fn) => it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS) },
});
