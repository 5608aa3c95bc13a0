import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { describe, it } from 'vitest';
import { createMapBackend } from '../src/map-backend.js';

describeConformance({
  name: 'map adapter (docs/writing-an-adapter.md)',
  create: () => createMapBackend(),
  runner: { describe, it: (name, fn) => it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS) },
});
