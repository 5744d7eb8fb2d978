import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { REPO_ROOT, runCli, startCli } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { processesWithEnv } from '../support/processes.js';
import { waitFor } from '../support/serve.js';

/** Starts a long `loadctl run` and resolves once its output says the run is Running. */
async function startLongRun(dataDir: string, target: DemoTarget, marker: string) {
  const child = startCli(
    ['run', '--script', join(REPO_ROOT, 'locust/examples/products.py'), '--host', target.url, '--duration', '120', '--users', '3', '--metrics-interval', '0.5', '--data-dir', dataDir, '--locust-bin', locustBinForTests()],
    { env: { LOADCTL_E2E_MARKER: marker } },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // Running and at least one metrics line, so there are numbers to keep.
  await waitFor(async () => stdout, (text) => /Running/.test(text) && /reqs [1-9]/.test(text), { timeoutMs: 60_000, what: `the run to be Running with metrics; output so far:\n${stdout}` });
  return { child, output: () => stdout };
}

describe('interrupting loadctl run', () => {
  let target: DemoTarget;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-interrupt-'));
    target = await startDemoTarget({ port: 0 });
  });

  afterAll(async () => {
    await target?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('Ctrl+C stops the run cleanly: Stopped, final metrics kept, Locust gone, exit 130', async () => {
    const dataDir = join(workDir, 'sigint');
    const marker = `sigint-${process.pid}-${Date.now()}`;
    const { child } = await startLongRun(dataDir, target, marker);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(130);

    const listed = await runCli(['runs', 'list', '--json', '--data-dir', dataDir]);
    const run = JSON.parse(listed.stdout).items[0];
    expect(run.status).toBe('Stopped');
    expect(run.autoStopped).toBe(false);
    expect(run.finalMetrics.totalRequests).toBeGreaterThan(0);
    expect(processesWithEnv('LOADCTL_E2E_MARKER', marker)).toEqual([]);
  });

  it('a killed loadctl takes its Locust with it', async () => {
    const dataDir = join(workDir, 'sigkill');
    const marker = `sigkill-${process.pid}-${Date.now()}`;
    const { child } = await startLongRun(dataDir, target, marker);
    child.kill('SIGKILL');
    await child;
    // The plugin notices its parent is gone within a second and shuts Locust down.
    await waitFor(async () => processesWithEnv('LOADCTL_E2E_MARKER', marker), (pids) => pids.length === 0, { timeoutMs: 15_000, what: 'the orphaned Locust to exit' });
  });
});
