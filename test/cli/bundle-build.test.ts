// bin/loadctl runs the esbuild bundle (scripts/build-cli.mjs, `npm run build`). A bundle moves
// modules into chunks: the files they find beside themselves must still resolve, and what a
// command loads only on use (Fastify, the MongoDB driver) must stay out of the start-up chunks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/cli.js';

const BUNDLE = join(REPO_ROOT, 'dist/bundle');
const chunks = readdirSync(BUNDLE).filter((name) => name.endsWith('.js'));
const textOf = (name: string): string => readFileSync(join(BUNDLE, name), 'utf8');

/** main.js and the chunks it imports statically: what every command loads before it runs. */
function startupChunks(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const [, imported] of textOf(name).matchAll(/^(?:import|export)\s[^;]*?from\s*"\.\/([^"]+)";|^import\s*"\.\/([^"]+)";/gms)) if (imported) visit(imported);
  };
  visit('main.js');
  return seen;
}

describe('the bundled CLI (dist/bundle)', () => {
  it('is what bin/loadctl runs, and answers --version with the package version', async () => {
    expect(readFileSync(join(REPO_ROOT, 'bin/loadctl'), 'utf8')).toContain('../dist/bundle/main.js');
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.stdout.trim()).toBe(version);
  });

  it('finds every file a module looks up beside itself (package.json, locust/, dist/web/)', () => {
    const lookups = chunks.flatMap((name) => [...textOf(name).matchAll(/new URL\("(\.\.\/[^"]+)", import\.meta\.url\)/g)].map(([, relative]) => ({ name, relative: relative! })));
    expect(lookups.map(({ relative }) => relative).sort()).toEqual(expect.arrayContaining(['../../dist/web/', '../../locust/', '../../package.json']));
    for (const { name, relative } of lookups) {
      const target = fileURLToPath(new URL(relative, pathToFileURL(join(BUNDLE, name))));
      expect(existsSync(target), `${name}: ${relative} → ${target}`).toBe(true);
    }
    expect(existsSync(join(REPO_ROOT, 'locust/loadctl_plugin.py'))).toBe(true);
  });

  it('loads Fastify and the MongoDB driver only in chunks imported on use', () => {
    const startup = startupChunks();
    expect(startup.size).toBeGreaterThan(1);
    for (const name of startup) {
      const text = textOf(name);
      expect(text, name).not.toMatch(/from\s*"mongodb"|import\("mongodb"\)/);
      expect(text, name).not.toMatch(/node_modules\/fastify\/fastify\.js/);
    }
    // The lazy ones exist: the test above would pass on a bundle that lost them.
    expect(chunks.some((name) => /node_modules\/fastify\/fastify\.js/.test(textOf(name)))).toBe(true);
    expect(chunks.some((name) => /from\s*"mongodb"/.test(textOf(name)))).toBe(true);
  });
});
