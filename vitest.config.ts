import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports" map, so Node loads its CommonJS build for Yoga, Pothos and the
    // other packages. Vite would give the sources under test its "module" build instead. With two
    // GraphQLError classes, Yoga masks the gateway's own errors, so the sources get Node's build too.
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
