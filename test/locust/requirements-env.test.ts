// prepareRequirementsEnv with real pip and the test Locust's Python: two processes preparing
// the same requirements at once end with one environment, built by one pip run.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';

const MODULE = pathToFileURL(join(REPO_ROOT, 'dist/locust/requirements-env.js')).href;
const workDir = mkdtempSync(join(tmpdir(), 'loadctl-envs-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A separate node process (as a second `loadctl run` would be) preparing `requirements`; its result and steps. */
function prepareInChild(dataDir: string, requirements: string) {
  const locust = locustBinForTests();
  const code = `
    const { prepareRequirementsEnv } = await import(${JSON.stringify(MODULE)});
    const steps = [];
    const runtime = { command: [${JSON.stringify(locust)}], python: ${JSON.stringify(join(locust, '..', 'python'))}, source: 'locust-bin' };
    const env = await prepareRequirementsEnv({ dataDir: ${JSON.stringify(dataDir)}, runtime, requirements: ${JSON.stringify(requirements)}, onStep: (step) => steps.push(step) });
    console.log(JSON.stringify({ env, steps }));`;
  return execa(process.execPath, ['--input-type=module', '-e', code], { timeout: 120_000 }).then((result) => JSON.parse(result.stdout) as { env: { envDir: string; pythonPath: string[]; cached: boolean }; steps: string[] });
}

describe('prepareRequirementsEnv', () => {
  it('builds one environment when two processes ask for the same requirements at once', async () => {
    const dataDir = join(workDir, 'data');
    const [a, b] = await Promise.all([prepareInChild(dataDir, 'inflection==0.5.1\n'), prepareInChild(dataDir, '# same\ninflection==0.5.1')]);
    expect(a.env.envDir).toBe(b.env.envDir);
    // Exactly one ran pip; the other waited for it (or found it done).
    const installs = [a, b].filter((child) => child.steps.some((step) => step.startsWith('Installing')));
    expect(installs).toHaveLength(1);
    expect([a.env.cached, b.env.cached].sort()).toEqual([false, true]);
    expect(readdirSync(join(dataDir, 'envs'))).toEqual([a.env.envDir.split('/').pop()]);
    // Locust's own packages come first, then the requirements' folder.
    expect(a.env.pythonPath.at(-1)).toBe(join(a.env.envDir, 'site'));
    expect(a.env.pythonPath[0]).toMatch(/site-packages$/);
    const imported = await execa(join(locustBinForTests(), '..', 'python'), ['-c', 'import inflection, locust; print(inflection.__file__, locust.__version__)'], { env: { PYTHONPATH: a.env.pythonPath.join(':') } });
    expect(imported.stdout).toMatch(new RegExp(`^${a.env.envDir}/site/inflection.* 2\\.43\\.4$`));
  }, 120_000);
});
