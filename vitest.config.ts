import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/store/**/*.test.ts',
      'test/cloud/**/*.test.ts',
      'test/car/**/*.test.ts',
      'test/project/**/*.test.ts',
      'test/model/**/*.test.ts',
      'test/contract/**/*.test.ts',
      'test/e2e/**/*.test.ts',
      'test/fleet/**/*.test.ts',
    ],
    // Two files at a time, one per core: the end-to-end files start servers and browsers, and the
    // tests wait for what they need rather than for time, so a loaded machine is slower, not wrong.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
