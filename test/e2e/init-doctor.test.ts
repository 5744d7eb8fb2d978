import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { runCli } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';

describe('a new project: loadctl init, then loadctl run from loadctl.yaml', () => {
  let dir: string;
  let target: DemoTarget;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadctl-init-'));
    target = await startDemoTarget({ port: 0 });
  });

  afterAll(async () => {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what is missing when there is no loadctl.yaml', async () => {
    const result = await runCli(['run', '--duration', '30', '--users', '5', '--data-dir', join(dir, 'data')], { cwd: dir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('no loadctl.yaml was found');
    expect(result.stderr).toContain('loadctl init');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('writes a commented config and a starter script, and refuses to overwrite them', async () => {
    const first = await runCli(['init'], { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(readFileSync(join(dir, 'loadctl.yaml'), 'utf8')).toContain('# ');
    expect(readFileSync(join(dir, 'locustfile.py'), 'utf8')).toContain('HttpUser');
    const again = await runCli(['init'], { cwd: dir });
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toContain('--force');
  });

  it('runs `loadctl run --duration 2 --users 2` with script and host from loadctl.yaml', async () => {
    const config = join(dir, 'loadctl.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('host: http://127.0.0.1:8000', `host: ${target.url}`));
    const result = await runCli(['run', '--duration', '2', '--users', '2', '--data-dir', join(dir, 'data'), '--locust-bin', locustBinForTests()], { cwd: dir });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Finished');
    const listed = JSON.parse((await runCli(['runs', 'list', '--json', '--data-dir', join(dir, 'data')], { cwd: dir })).stdout);
    expect(listed.items[0].status).toBe('Finished');
    expect(listed.items[0].durationSeconds).toBe(2);
    expect(listed.items[0].finalMetrics.totalRequests).toBeGreaterThan(0);
  });

  it('doctor reports Python, Locust and the store it found', async () => {
    const result = await runCli(['doctor', '--json', '--data-dir', join(dir, 'data'), '--locust-bin', locustBinForTests()], { cwd: dir });
    expect(result.exitCode, result.stdout).toBe(0);
    const report = JSON.parse(result.stdout);
    const found = Object.fromEntries(report.findings.map((finding: { what: string; found: string; ok: boolean }) => [finding.what, finding]));
    expect(found.Locust.ok).toBe(true);
    expect(found.Locust.found).toMatch(/^2\.\d+/);
    expect(found.Store.found).toContain('embedded');
    expect(found['Config file'].found).toBe(join(dir, 'loadctl.yaml'));
  });

  it('doctor names what is missing and the command that fixes it', async () => {
    const result = await runCli(['doctor', '--data-dir', join(dir, 'empty-data')], { cwd: dir, env: { LOADCTL_LOCUST: '' } });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/✘ Locust\s+not set up/);
    expect(result.stdout).toContain('fix: loadctl setup');
  });
});
