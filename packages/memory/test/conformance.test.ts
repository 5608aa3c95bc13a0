import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { describe, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// Both increment paths: combined batches (the default) and one doIncrement per call.
for (const combine of [true, false]) {
  describeConformance({
    name: `@strongbox/memory (combine: ${combine})`,
    create: () => createMemoryBackend({ combine }),
    requireCounterTtl: true,
    runner: { describe, it: (name, fn) => it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS) },
  });
}
