// Issue 10, scenario 6: only the process that owns a run may settle it. A `loadctl run` owns
// its run; while it is suspended (slow, stopped in a terminal), read-only commands in another
// process over the same store leave the run alone. Once the owner is provably gone (killed),
// a control plane that recovers runs settles it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { REPO_ROOT, runCli, startCli } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor } from '../support/serve.js';
import { holdFor } from '../reliability/_support.js';

function startOwner(dataDir: string, target: DemoTarget, duration: number) {
  const child = startCli(['run', '--script', join(REPO_ROOT, 'locust/examples/products.py'), '--host', target.url, '--duration', String(duration), '--users', '2', '--metrics-interval', '0.5', '--data-dir', dataDir, '--locust-bin', locustBinForTests()]);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return { child, output: () => stdout };
}

async function onlyRun(dataDir: string): Promise<any> {
  const listed = await runCli(['runs', 'list', '--json', '--data-dir', dataDir]);
  expect(listed.exitCode, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout).items[0];
}

describe('who may settle a run (issue 10, scenario 6)', () => {
  let target: DemoTarget;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-owner-'));
    target = await startDemoTarget({ port: 0 });
  });

  afterAll(async () => {
    await target?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs list / watch in another process leave a suspended owner’s run alone; the owner finishes it', async () => {
    const dataDir = join(workDir, 'suspended');
    const owner = startOwner(dataDir, target, 15);
    await waitFor(async () => owner.output(), (text) => /Running/.test(text) && /reqs [1-9]/.test(text), { timeoutMs: 60_000, what: 'the owner’s run to be Running with metrics' });
    owner.child.kill('SIGSTOP');
    try {
      const run = await onlyRun(dataDir);
      expect(run.status).toBe('Running');
      // A watcher stays up while the owner is suspended: long enough for any recovery to act.
      const watcher = startCli(['runs', 'watch', run.id, '--data-dir', dataDir]);
      await holdFor(6_000); // longer than the 2 s health check that an older recovery trusted
      const during = await onlyRun(dataDir);
      expect(during.status, during.error).toBe('Running');
      owner.child.kill('SIGCONT');
      const [ownerResult, watcherResult] = await Promise.all([owner.child, watcher]);
      expect(ownerResult.exitCode, String(ownerResult.stderr)).toBe(0);
      expect(watcherResult.exitCode, String(watcherResult.stderr)).toBe(0);
      const ended = await onlyRun(dataDir);
      expect(ended.status).toBe('Finished');
      expect(ended.statusHistory.map((change: { reason?: string }) => change.reason ?? '').join(' | ')).not.toMatch(/control plane restarted/);
    } finally {
      owner.child.kill('SIGCONT');
    }
  }, 120_000);

  it('a killed owner is provably gone: a serve over the same store fails its run', async () => {
    const dataDir = join(workDir, 'killed');
    const owner = startOwner(dataDir, target, 120);
    await waitFor(async () => owner.output(), (text) => /Running/.test(text) && /reqs [1-9]/.test(text), { timeoutMs: 60_000, what: 'the owner’s run to be Running with metrics' });
    owner.child.kill('SIGKILL');
    await owner.child;
    const serve = await startServe(['--port', '0', '--data-dir', dataDir, '--locust-bin', locustBinForTests()]);
    try {
      const run = await waitFor(() => onlyRun(dataDir), (current) => current.status === 'Failed', { timeoutMs: 30_000, what: 'the run of the killed owner to be Failed' });
      expect(run.error).toMatch(/control plane restarted/);
    } finally {
      await serve.stop();
    }
  }, 120_000);
});
