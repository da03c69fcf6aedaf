import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/model/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/fleet/**/*.test.ts'],
    // End-to-end files start servers and browsers; one file at a time keeps two cores unhurried.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
