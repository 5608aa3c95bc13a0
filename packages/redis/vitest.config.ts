import { defineConfig } from 'vitest/config';
import { testReports } from '../../scripts/test-reports/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts (or finds) one Redis and one 3-master Redis Cluster for the whole run.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    ...testReports(),
  },
});
