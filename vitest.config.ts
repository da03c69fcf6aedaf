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
    // A test's own waits are bounded and name what they wait for; the runner's limit is only the
    // last resort, wide enough that a long walk on a loaded CI machine ends by its own waits.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
