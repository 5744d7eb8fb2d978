// Python requirements end to end: real `loadctl run` processes, a real Locust, real pip
// installing a tiny pure-Python package from PyPI (inflection, pinned, no dependencies) into
// a temporary data dir, beside the test Locust (LOADCTL_LOCUST), which must stay as it was.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import type { Run } from '../../src/domain/types.js';
import { ENV_MARKER } from '../../src/locust/requirements-env.js';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';

const SCRIPT = join(REPO_ROOT, 'test/e2e/fixtures/uses-inflection.py');
const output = (result: CliResult): string => `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`;

describe('Python requirements of a script', () => {
  let target: DemoTarget;
  let workDir: string;

  const run = (dataDir: string, args: string[], cwd?: string) =>
    runCli(['run', '--users', '2', '--duration', '1', '--metrics-interval', '1', '--data-dir', dataDir, '--locust-bin', locustBinForTests(), ...args], cwd ? { cwd } : {});
  const scriptArgs = (): string[] => ['--script', SCRIPT, '--host', target.url];

  const shownRun = async (dataDir: string, result: CliResult): Promise<Run> => {
    const runId = /^Run (\S+) of /m.exec(result.stderr)?.[1];
    expect(runId, output(result)).toBeDefined();
    const shown = await runCli(['runs', 'show', runId!, '--json', '--data-dir', dataDir]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    return JSON.parse(shown.stdout) as Run;
  };
  const envsDir = (dataDir: string): string => join(dataDir, 'envs');

  beforeAll(async () => {
    target = await startDemoTarget({ port: 0, errorRate: 0 });
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-requirements-'));
  });
  afterAll(async () => {
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('runs a script importing a PyPI package with --requirements; a second run from loadctl.yaml reuses its environment without pip', async () => {
    const dataDir = join(workDir, 'installed');
    const projectDir = join(workDir, 'project');
    mkdirSync(projectDir);
    writeFileSync(join(projectDir, 'req.txt'), 'inflection==0.5.1  # underscore()\n');
    const first = await run(dataDir, [...scriptArgs(), '--requirements', 'req.txt'], projectDir);
    expect(first.exitCode, output(first)).toBe(0);
    expect(first.stderr).toMatch(/Installing 1 Python requirement into .*envs/);
    const firstRun = await shownRun(dataDir, first);
    expect(firstRun.status).toBe('Finished');
    // The request's name came from the package: it was imported and used.
    expect(Object.keys(firstRun.finalMetrics?.requestStats ?? {})).toEqual(['GET list_products']);
    expect(firstRun.requirements?.text).toBe('inflection==0.5.1\n');

    const envs = readdirSync(envsDir(dataDir));
    expect(envs).toHaveLength(1);
    const marker = join(envsDir(dataDir), envs[0]!, ENV_MARKER);
    const markerBefore = { text: readFileSync(marker, 'utf8'), mtimeMs: statSync(marker).mtimeMs };

    // The same requirement as a list in loadctl.yaml normalises to the same text: same environment.
    writeFileSync(join(projectDir, 'loadctl.yaml'), `script: ${SCRIPT}\nhost: ${target.url}\nrequirements:\n  - inflection==0.5.1\n`);
    const second = await run(dataDir, [], projectDir);
    expect(second.exitCode, output(second)).toBe(0);
    expect(second.stderr).toContain(`using the installed requirements ${join(envsDir(dataDir), envs[0]!)}`);
    expect(second.stderr).not.toContain('Installing');
    const secondRun = await shownRun(dataDir, second);
    expect(secondRun.status).toBe('Finished');
    expect(secondRun.requirements).toEqual(firstRun.requirements);
    // pip did not run: the environment's marker was not rewritten and nothing else was built.
    expect({ text: readFileSync(marker, 'utf8'), mtimeMs: statSync(marker).mtimeMs }).toEqual(markerBefore);
    expect(readdirSync(envsDir(dataDir))).toEqual(envs);
  }, 150_000); // two runs and a pip install, on a busy machine

  it('fails a script whose import is missing, naming --requirements and requirements: (exit 2)', async () => {
    const dataDir = join(workDir, 'without');
    const result = await run(dataDir, scriptArgs());
    expect(result.exitCode, output(result)).toBe(2);
    const failed = await shownRun(dataDir, result);
    expect(failed.status).toBe('Failed');
    expect(failed.error).toContain("ModuleNotFoundError: No module named 'inflection'");
    expect(failed.error).toContain('--requirements FILE');
    expect(failed.error).toContain('`requirements:` in loadctl.yaml');
    expect(result.stdout).toContain('--requirements FILE');
  });

  it('refuses a requirement for another Locust version with LOADCTL_REQUIREMENTS_FAILED and leaves Locust as it was', async () => {
    const dataDir = join(workDir, 'old-locust');
    const lib = join(dirname(locustBinForTests()), '..', 'lib');
    const sitePackages = join(lib, readdirSync(lib).find((name) => name.startsWith('python'))!, 'site-packages');
    // Locust's package and its dist-info (named with the version), and when its code was written.
    const locustState = () => ({
      files: readdirSync(sitePackages).filter((name) => name.toLowerCase().startsWith('locust')),
      mtimeMs: statSync(join(sitePackages, 'locust', '__init__.py')).mtimeMs,
    });
    const before = locustState();
    expect(before.files).toContain('locust-2.43.4.dist-info');

    writeFileSync(join(workDir, 'old-locust.txt'), 'locust==2.20.0\n');
    const result = await run(dataDir, [...scriptArgs(), '--requirements', join(workDir, 'old-locust.txt')]);
    expect(result.exitCode, output(result)).toBe(2);
    const failed = await shownRun(dataDir, result);
    expect(failed.status).toBe('Failed');
    expect(failed.error).toMatch(/^LOADCTL_REQUIREMENTS_FAILED: Installing the run's Python requirements failed: a requirement asks for another version of Locust/);
    expect(failed.error).toContain('locust==2.20.0'); // pip's own lines name the culprit
    expect(failed.statusHistory.map((change) => change.to)).toEqual(['Pending', 'Starting', 'Failed']);

    expect(locustState()).toEqual(before);
    // Nothing half-built is left: no environment, no staging folder.
    expect(readdirSync(envsDir(dataDir))).toEqual([]);
  });
});
