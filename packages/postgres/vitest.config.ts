import { defineConfig } from 'vitest/config';
import { testReports } from '../../scripts/test-reports/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds or starts the shared PostgreSQL server and provides its URL to every test file.
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    ...testReports(),
  },
});
