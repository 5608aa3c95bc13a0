import { defineConfig } from 'vitest/config';
import { testReports } from '../../scripts/test-reports/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds or starts one Redis for the run; fault tests start their own throwaway servers.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    ...testReports(),
  },
});
