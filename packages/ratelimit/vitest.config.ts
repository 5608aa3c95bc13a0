import { defineConfig } from 'vitest/config';
import { testReports } from '../../scripts/test-reports/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds or starts one PostgreSQL, one Redis and one Redis Cluster for the whole run.
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    ...testReports(),
  },
});
