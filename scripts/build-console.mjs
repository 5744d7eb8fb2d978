// Builds the web console (web/src) into dist/web: one minified JS file with uPlot bundled in,
// one CSS file, the icon. esbuild only bundles; `npm run typecheck` type-checks web/ too.
import { build } from 'esbuild';
import { copyFile, mkdir, stat } from 'node:fs/promises';

const out = new URL('../dist/web/', import.meta.url);
await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: new URL('../web/src/main.ts', import.meta.url).pathname },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: out.pathname,
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(new URL('../web/favicon.svg', import.meta.url), new URL('favicon.svg', out));
const sizes = await Promise.all(['app.js', 'app.css'].map(async (name) => `${name} ${Math.round((await stat(new URL(name, out))).size / 1024)} KB`));
if (process.env.LOADCTL_BUILD_VERBOSE) console.log(`console: ${sizes.join(', ')}`);
