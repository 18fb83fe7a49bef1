import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql-js's CommonJS build for Yoga and Pothos, but Vite would give the tests'
    // source files its ESM build (the "module" field). Two copies break `instanceof GraphQLError`,
    // so Yoga would mask the gateway's own errors in tests only. This alias keeps one copy.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests start real servers on loopback ports; two workers fit this project's 2-core machines.
    maxWorkers: 2,
  },
});
