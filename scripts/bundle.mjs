/**
 * Bundle the process entry into dist/main.js, replacing the file that tsc wrote. One file starts
 * several times faster than the hundreds of modules in node_modules, because Node.js resolves,
 * reads and compiles each module separately. tsc's entry stays as dist/main-modules.js, whose
 * CPU profiles name every package's own files; everything else in dist/ stays tsc's output.
 */
import { rename } from 'node:fs/promises';
import { build } from 'esbuild';

await rename('dist/main.js', 'dist/main-modules.js');

await build({
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  // Modules loaded with import() only in some configurations (MSAL for obo, ioredis for Redis)
  // go to chunks of their own, so a start without them does not compile their code.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // GraphiQL's files are about 9 MB and loaded only when a browser requests GraphiQL.
  external: ['@graphql-yoga/render-graphiql', '@graphql-yoga/render-graphiql/*'],
  // CommonJS packages inside an ES module bundle still call require() for Node.js built-ins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
