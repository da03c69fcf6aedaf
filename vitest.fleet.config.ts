import { defineConfig } from 'vitest/config';

/** `npm run test:fleet`: the fleet on a real container engine (test/fleet), minutes long, one file. */
export default defineConfig({
  test: {
    include: ['test/fleet/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
