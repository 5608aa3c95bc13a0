import { CONFORMANCE_TEST_TIMEOUT_MS, describeConformance } from '@strongbox/core/conformance';
import { describe, it } from 'vitest';
import { createTestBackend, TOPOLOGIES } from './helpers/backends.js';
import { dropConnections } from './helpers/connections.js';

// Each backend gets its own key prefix and client name; dropConnections kills only its connections.
for (const topology of TOPOLOGIES) {
  describeConformance({
    name: `@strongbox/redis on a ${topology === 'single' ? 'single server' : '3-master cluster'}`,
    create: () => createTestBackend(topology),
    // A native increment always reports the counter's remaining ttl.
    requireCounterTtl: true,
    runner: { describe, it: (name, fn) => it(name, fn, CONFORMANCE_TEST_TIMEOUT_MS) },
    faults: {
      dropConnections,
    },
  });
}
