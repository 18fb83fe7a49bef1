import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests start real servers on loopback ports; two workers fit this project's 2-core machines.
    maxWorkers: 2,
  },
});
