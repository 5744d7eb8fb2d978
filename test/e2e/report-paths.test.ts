// Report paths end to end: one that cannot be written is refused before any load (exit 3,
// no run stored), and one that breaks during the run fails after it (exit 2) while the
// other reports are still written. Real `loadctl` processes, real Locust, the demo target.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { REPO_ROOT, runCli, startCli } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';

const SCRIPT = join(REPO_ROOT, 'test/e2e/fixtures/list-products.py');

describe('report paths of loadctl run', () => {
  let target: DemoTarget;
  let workDir: string;

  const runArgs = (dataDir: string, extra: string[]) => [
    'run', '--script', SCRIPT, '--host', target.url, '--users', '2', '--duration', '3', '--metrics-interval', '1', '--data-dir', dataDir, '--locust-bin', locustBinForTests(), ...extra,
  ];
  const storedRuns = async (dataDir: string) => {
    const listed = await runCli(['runs', 'list', '--json', '--data-dir', dataDir]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    return JSON.parse(listed.stdout).items as Array<{ id: string; status: string }>;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-report-paths-'));
    target = await startDemoTarget({ port: 0, errorRate: 0 });
  });

  afterAll(async () => {
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('exits 3 before any load when --junit is under a regular file, and stores no run', async () => {
    const dataDir = join(workDir, 'refused');
    writeFileSync(join(workDir, 'some-file'), 'a regular file');
    const started = Date.now();
    // A 60 s run: one that started would not end before the test's own deadline.
    const result = await runCli([...runArgs(dataDir, ['--junit', 'some-file/x.xml']), '--duration', '60'], { cwd: workDir });
    const seconds = (Date.now() - started) / 1000;
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain('loadctl: --junit some-file/x.xml: cannot write the report there:');
    expect(result.stderr).toContain(`${join(workDir, 'some-file')} is a file, not a folder`);
    expect(result.stderr).not.toMatch(/^Run \S+ of /m);
    expect(seconds).toBeLessThan(20);
    expect(await storedRuns(dataDir)).toEqual([]);
  });

  it('exits 3 when a report path is a folder', async () => {
    const result = await runCli(runArgs(join(workDir, 'folder'), ['--html', workDir]));
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain(`--html ${workDir}: cannot write the report there: ${workDir} is a folder`);
  });

  it('loadctl report checks its paths before it opens the store', async () => {
    writeFileSync(join(workDir, 'some-file'), 'a regular file');
    const result = await runCli(['report', 'run_unknown', '--json', 'some-file/run.json', '--data-dir', join(workDir, 'report')], { cwd: workDir });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain('loadctl: --json some-file/run.json: cannot write the report there:');
    expect(existsSync(join(workDir, 'report'))).toBe(false);
  });

  it('exits 2 when a report cannot be written after the run, and still writes the others', async () => {
    const dataDir = join(workDir, 'late');
    const later = join(workDir, 'later');
    const json = join(later, 'run.json');
    const junit = join(workDir, 'ok/junit.xml');
    const child = startCli(runArgs(dataDir, ['--json', json, '--junit', junit]));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The path passed the check; once the run has started its folder becomes a regular file.
    await waitFor(async () => stderr, (text) => /^Run \S+ of /m.test(text), { timeoutMs: 60_000, what: `the run to start; stderr so far:\n${stderr}` });
    writeFileSync(later, 'replaced during the run');
    const result = await child;

    expect(result.exitCode, String(result.stderr)).toBe(2);
    expect(String(result.stderr)).toContain(`loadctl: Cannot write the report ${json} (`);
    expect(String(result.stderr)).toContain(`The other reports were written: ${junit}`);
    expect(String(result.stdout)).toContain('Finished');
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml/);
    expect(existsSync(json)).toBe(false);
    const runs = await storedRuns(dataDir);
    expect(runs.map((run) => run.status)).toEqual(['Finished']);
  }, 90_000);
});
