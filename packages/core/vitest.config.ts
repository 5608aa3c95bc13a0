import { defineConfig } from 'vitest/config';
import { testReports } from '../../scripts/test-reports/vitest-reporters.mjs';

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, ...testReports() },
});
