import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (main) and ESM (module) builds. Node loads the CommonJS one for
    // the server packages, so the tests' own imports must use it too: two copies of GraphQLError
    // would make Yoga mask every error thrown by the gateway.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests start real servers on loopback ports; two workers fit this project's 2-core machines.
    maxWorkers: 2,
  },
});
