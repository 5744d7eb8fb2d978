// Locust itself fails: killed mid-run, or the script dies at import. Real `loadctl run`
// processes, a real Locust, the demo target; each case ends with the store read back and no
// Locust left under the run's marker.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import type { MetricsSnapshot, Run } from '../../src/domain/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { REPO_ROOT, startCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';
import { MARKER_ENV, locustPids, newMarker, scriptWith, waitForNoLocust, workDir, writeFixture } from './_support.js';

/** The one run a data dir holds, with its metrics, read from the embedded store file. */
async function storedRun(dataDir: string): Promise<{ run: Run; metrics: MetricsSnapshot[] }> {
  const store = new SqliteStore({ file: join(dataDir, 'loadctl.db') });
  await store.init();
  try {
    const { items } = await store.listRuns({ limit: 10, offset: 0 });
    expect(items).toHaveLength(1);
    return { run: items[0]!, metrics: await store.listMetrics(items[0]!.id) };
  } finally {
    await store.close();
  }
}

function runArgs(script: string, host: string, dataDir: string, extra: readonly string[]): string[] {
  return ['run', '--script', script, '--host', host, '--data-dir', dataDir, '--locust-bin', locustBinForTests(), ...extra];
}

describe('Locust faults', () => {
  let target: DemoTarget;
  let work: ReturnType<typeof workDir>;

  beforeAll(async () => {
    work = workDir('locust');
    target = await startDemoTarget({ port: 0 });
  });

  afterAll(async () => {
    await target?.close();
    work?.remove();
  });

  it('Locust killed with SIGKILL mid-run: Failed within 5 s with the signal named, last metrics kept, exit 2', async () => {
    const dataDir = join(work.dir, 'sigkill');
    const marker = newMarker('sigkill');
    const child = startCli(runArgs(join(REPO_ROOT, 'locust/examples/products.py'), target.url, dataDir, ['--duration', '120', '--users', '2', '--metrics-interval', '0.5']), {
      env: { [MARKER_ENV]: marker },
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // Running with numbers on screen, so there are metrics to keep.
    await waitFor(async () => stdout, (text) => /Running/.test(text) && /reqs [1-9]/.test(text), { timeoutMs: 60_000, what: `the run to be Running with metrics; output:\n${stdout}` });
    const [locust, ...others] = locustPids(marker);
    expect(others).toEqual([]);

    const killedAt = Date.now();
    process.kill(locust!, 'SIGKILL');
    const result = await child;
    const cliDoneMs = Date.now() - killedAt;
    const { run, metrics } = await storedRun(dataDir);
    const failedAt = Date.parse(run.statusHistory[run.statusHistory.length - 1]!.at);

    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(2);
    expect(run.status).toBe('Failed');
    expect(run.error).toContain('Locust exited (signal SIGKILL)');
    expect(failedAt - killedAt).toBeLessThan(5_000);
    expect(run.lastMetrics?.totalRequests).toBeGreaterThan(0);
    expect(metrics.length).toBeGreaterThan(0);
    expect(String(result.stdout)).toContain('Locust exited (signal SIGKILL)');
    expect(locustPids(marker)).toEqual([]);
    console.info(`[reliability] SIGKILL: Failed ${failedAt - killedAt} ms after the kill, CLI exited after ${cliDoneMs} ms, lastMetrics.totalRequests ${run.lastMetrics?.totalRequests}`);
  });

  const importFailures = [
    { label: 'a missing module', before: ['import does_not_exist_module'], after: [], expected: "ModuleNotFoundError: No module named 'does_not_exist_module'" },
    { label: 'an exception at module level', before: [], after: ['', '', 'raise RuntimeError("boom at import")'], expected: 'RuntimeError: boom at import' },
  ];

  for (const { label, before, after, expected } of importFailures) {
    it(`a script that fails at import (${label}) ends Failed before any load, with Python's last line shown and stored`, async () => {
      const name = label.replace(/\W+/g, '-');
      const dataDir = join(work.dir, name);
      const marker = newMarker('import');
      const script = writeFixture(work.dir, `${name}.py`, scriptWith({ before, after, task: 'self.client.get("/api/products")' }));
      const servedBefore = target.stats().served.total;

      const result: CliResult = await (async () => {
        const done = await startCli(runArgs(script, target.url, dataDir, ['--duration', '5', '--users', '1']), { env: { [MARKER_ENV]: marker } });
        return { exitCode: done.exitCode ?? -1, stdout: String(done.stdout), stderr: String(done.stderr) };
      })();
      const { run, metrics } = await storedRun(dataDir);

      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(2);
      expect(run.status).toBe('Failed');
      expect(run.error).toContain(expected);
      expect(`${result.stdout}\n${result.stderr}`).toContain(expected);
      expect(run.statusHistory.map((change) => change.to)).toEqual(['Pending', 'Starting', 'Failed']);
      expect(run.startedAt ?? null).toBeNull();
      expect(metrics).toEqual([]);
      expect(target.stats().served.total - servedBefore).toBe(0);
      await waitForNoLocust(marker);
    });
  }
});
