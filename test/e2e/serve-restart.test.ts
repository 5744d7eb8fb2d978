import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/controlplane/client.js';
import type { RunView } from '../../src/controlplane/views.js';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { injectPlugin } from '../../src/domain/inject-plugin.js';
import { findFreePort } from '../../src/locust/free-port.js';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { processesWithEnv } from '../support/processes.js';
import { answersHttp, startServe, waitFor, type ServeProcess } from '../support/serve.js';

const PRODUCTS_SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py'), 'utf8');
const TERMINAL = ['Finished', 'Stopped', 'Failed'];

describe('loadctl serve restarted mid-run', () => {
  let workDir: string;
  let target: DemoTarget;
  const servers: ServeProcess[] = [];

  const serveOn = async (port: number, config: string, env: NodeJS.ProcessEnv = {}): Promise<ApiClient> => {
    const serve = await startServe(['--config', config, '--port', String(port), '--data-dir', join(workDir, 'data'), '--locust-bin', locustBinForTests()], { env });
    servers.push(serve);
    return new ApiClient({ baseUrl: serve.url });
  };

  const waitUntilReporting = (client: ApiClient, runId: string): Promise<RunView> =>
    waitFor(() => client.getRun(runId), (run) => run.status === 'Running' && (run.lastMetrics?.totalRequests ?? 0) > 0, { timeoutMs: 30_000, what: 'the run to report metrics' });

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-restart-'));
    target = await startDemoTarget({ port: 0 });
  });

  afterAll(async () => {
    await Promise.all(servers.map((serve) => serve.stop().catch(() => undefined)));
    await target?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('fails a run whose Locust died with the old serve, keeping its last metrics', async () => {
    const marker = `restart-spawned-${process.pid}-${Date.now()}`;
    const config = join(workDir, 'spawned.yaml');
    writeFileSync(config, 'metricsInterval: 1\n');
    const port = await findFreePort();
    const first = await serveOn(port, config, { LOADCTL_E2E_MARKER: marker });
    const test = await first.createLoadTest({ name: 'restart-spawned', targetUrl: target.url, scriptContent: Buffer.from(PRODUCTS_SCRIPT).toString('base64'), defaultUsers: 2, defaultDurationSec: 120 });
    const run = await first.startRun(test.id, {});
    const reporting = await waitUntilReporting(first, run.id);

    await servers.pop()!.kill('SIGKILL');
    // Its Locust notices the parent is gone and quits: no orphan.
    await waitFor(async () => processesWithEnv('LOADCTL_E2E_MARKER', marker), (pids) => pids.length === 0, { timeoutMs: 15_000, what: 'the orphaned Locust to exit' });

    const second = await serveOn(port, config);
    const failed = await waitFor(() => second.getRun(run.id), (current) => TERMINAL.includes(current.status), { timeoutMs: 15_000, what: 'the left-over run to be settled' });
    expect(failed.status).toBe('Failed');
    expect(failed.error).toMatch(/^control plane restarted/);
    expect(failed.lastMetrics!.totalRequests).toBeGreaterThanOrEqual(reporting.lastMetrics!.totalRequests);
  });

  it('adopts a run on a Locust cluster that kept going, and finishes it with exact totals', async () => {
    const clusterPort = await findFreePort();
    const launchToken = 'cluster-launch-token';
    const script = join(workDir, 'cluster.py');
    writeFileSync(script, injectPlugin(PRODUCTS_SCRIPT));
    const cluster: ResultPromise = execa(locustBinForTests(), ['-f', script, '--web-host', '127.0.0.1', '--web-port', String(clusterPort), '--host', target.url], {
      env: { PYTHONPATH: join(REPO_ROOT, 'locust'), LOADCTL_LAUNCH_TOKEN: launchToken },
      stdin: 'ignore',
      reject: false,
    });
    try {
      // The cluster is up before any run uses it: a control plane fails a run whose cluster does
      // not answer, and loadctl serve now starts faster than Locust does.
      await waitFor(() => answersHttp(`http://127.0.0.1:${clusterPort}/`), (up) => up, { timeoutMs: 30_000, what: 'the Locust cluster to answer' });
      const config = join(workDir, 'cluster.yaml');
      writeFileSync(config, ['metricsInterval: 1', 'locustClusters:', '  - id: vm', `    baseUrl: http://127.0.0.1:${clusterPort}`, `    launchToken: ${launchToken}`].join('\n'));
      const port = await findFreePort();
      const first = await serveOn(port, config);
      const test = await first.createLoadTest({ name: 'restart-cluster', targetUrl: target.url, scriptContent: Buffer.from(PRODUCTS_SCRIPT).toString('base64'), defaultUsers: 2, defaultDurationSec: 8 });
      const run = await first.startRun(test.id, { locustClusterId: 'vm' });
      await waitUntilReporting(first, run.id);

      await servers.pop()!.kill('SIGKILL');
      const second = await serveOn(port, config);
      const finished = await waitFor(() => second.getRun(run.id), (current) => TERMINAL.includes(current.status), { timeoutMs: 40_000, what: 'the adopted run to end' });
      expect(finished.status, finished.error).toBe('Finished');
      expect(finished.autoStopped).toBe(true);
      const metrics = await second.listMetrics(run.id);
      const histogramTotal = metrics.items.reduce((sum, push) => sum + Object.values(push.histogram).reduce((a, b) => a + b, 0), 0);
      // Pushes lost while no control plane listened fold into later ones: nothing is lost.
      expect(histogramTotal).toBe(finished.finalMetrics!.totalRequests);
    } finally {
      cluster.kill('SIGTERM');
      await cluster;
    }
  });
});
