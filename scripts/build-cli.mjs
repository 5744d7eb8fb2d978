// Bundles the CLI (src/cli/main.ts) into dist/bundle: a few ES module chunks instead of ~300
// files, so Node spends its start on our code, not on resolving and reading modules (issue 14).
// Every dynamic import() stays a chunk loaded on first use (Fastify only for a control plane).
// tsc's dist/ stays for the tests and benches that import single modules.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

const out = new URL('../dist/bundle/', import.meta.url);
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: { main: new URL('../src/cli/main.ts', import.meta.url).pathname },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // dist/bundle/ sits two levels below the package like dist/<part>/, so the modules'
  // `new URL('../../package.json' | '../../locust/' | '../../dist/web/', import.meta.url)` resolve alike.
  outdir: out.pathname,
  chunkNames: 'chunk-[hash]',
  // Readable stack traces with NODE_OPTIONS=--enable-source-maps; the maps point at src/.
  sourcemap: 'linked',
  sourcesContent: false,
  // Native (better-sqlite3), loaded only with a URI (mongodb), or serving files beside their own
  // code (@fastify/swagger-ui; @fastify/swagger with it): resolved from node_modules at run time.
  external: ['better-sqlite3', 'mongodb', '@fastify/swagger', '@fastify/swagger-ui'],
  // Bundled CommonJS packages call require() for Node's modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __loadctlCreateRequire } from 'node:module'; const require = __loadctlCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
