import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { MongoClient } from 'mongodb';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../../src/controlplane/client.js';
import type { RunView } from '../../src/controlplane/views.js';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { injectPlugin } from '../../src/domain/inject-plugin.js';
import { findFreePort } from '../../src/locust/free-port.js';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { answersHttp, startServe, waitFor, type ServeProcess } from '../support/serve.js';

const PRODUCTS_SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py'), 'utf8');

async function http(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await request(url, {
    method: method as 'GET',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

describe('loadctl serve on MongoDB', () => {
  const database = `loadctl_serve_${randomBytes(4).toString('hex')}`;
  let workDir: string;
  let target: DemoTarget;
  let serveA: ServeProcess;
  let serveB: ServeProcess;
  let clusterLocust: ResultPromise;
  const launchToken = randomBytes(16).toString('hex');

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-serve-'));
    target = await startDemoTarget({ port: 0 });

    // An already running Locust, started by hand the way the seed's users did.
    const clusterPort = await findFreePort();
    const clusterScript = join(workDir, 'cluster-locustfile.py');
    writeFileSync(clusterScript, injectPlugin(PRODUCTS_SCRIPT));
    clusterLocust = execa(locustBinForTests(), ['-f', clusterScript, '--web-host', '127.0.0.1', '--web-port', String(clusterPort), '--host', target.url], {
      env: { PYTHONPATH: join(REPO_ROOT, 'locust'), LOADCTL_LAUNCH_TOKEN: launchToken },
      stdin: 'ignore',
      reject: false,
    });

    // Up before any run uses it: a control plane fails a run whose cluster does not answer.
    await waitFor(() => answersHttp(`http://127.0.0.1:${clusterPort}/`), (up) => up, { timeoutMs: 30_000, what: 'the Locust cluster to answer' });

    const config = join(workDir, 'loadctl.yaml');
    writeFileSync(
      config,
      [
        'server:',
        '  host: 127.0.0.1',
        '  port: 0',
        'mongodb:',
        `  uri: ${inject('mongoUri')}`,
        `  database: ${database}`,
        'metricsInterval: 1',
        'locustClusters:',
        '  - id: local',
        `    baseUrl: http://127.0.0.1:${clusterPort}`,
        `    launchToken: ${launchToken}`,
      ].join('\n'),
    );
    const env = { LOADCTL_LOCUST: locustBinForTests() };
    [serveA, serveB] = await Promise.all([
      startServe(['--config', config, '--data-dir', join(workDir, 'a'), '--locust-bin', locustBinForTests()], { env }),
      startServe(['--config', config, '--data-dir', join(workDir, 'b'), '--locust-bin', locustBinForTests()], { env }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([serveA?.stop(), serveB?.stop()]);
    clusterLocust?.kill('SIGTERM');
    await clusterLocust;
    await target?.close();
    const client = new MongoClient(inject('mongoUri'));
    await client.db(database).dropDatabase().catch(() => undefined);
    await client.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs the seed’s flow by plain HTTP on an already running Locust: health → create → run → Finished', async () => {
    expect((await http('GET', `${serveA.url}/health`)).json).toEqual({ status: 'ok' });
    const created = await http('POST', `${serveA.url}/v1/load-tests`, {
      name: 'seed-flow',
      targetUrl: target.url,
      scriptContent: Buffer.from(PRODUCTS_SCRIPT).toString('base64'),
      defaultUsers: 2,
      defaultSpawnRate: 2,
      defaultDurationSec: 2,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.recentRuns).toEqual([]);

    const started = await http('POST', `${serveA.url}/v1/load-tests/${created.json.id}/runs`, { locustClusterId: 'local' });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const busy = await http('POST', `${serveA.url}/v1/load-tests/${created.json.id}/runs`, { locustClusterId: 'local' });
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe('LOADCTL_RUN_CONFLICT');

    const run = await waitFor(
      async () => (await http('GET', `${serveA.url}/v1/runs/${started.json.id}`)).json,
      (current) => ['Finished', 'Stopped', 'Failed'].includes(current.status),
      { timeoutMs: 30_000, what: 'the cluster run to end' },
    );
    expect(run.status, run.error).toBe('Finished');
    expect(run.locustClusterId).toBe('local');
    expect(run.finalMetrics.totalRequests).toBeGreaterThan(0);
    expect(run).not.toHaveProperty('callbackToken');
    // The cluster's Locust is left running for the next run.
    expect(clusterLocust.exitCode).toBeNull();
    // The test's recent runs are read from its runs: the run is listed as soon as it is terminal.
    expect((await http('GET', `${serveA.url}/v1/load-tests/${created.json.id}`)).json.recentRuns.map((summary: { runId: string }) => summary.runId)).toEqual([run.id]);
  });

  it('lets a second serve on the same database see and follow a run the first one drives', async () => {
    const clientA = new ApiClient({ baseUrl: serveA.url });
    const clientB = new ApiClient({ baseUrl: serveB.url });
    const test = await clientA.createLoadTest({
      name: 'shared-db',
      targetUrl: target.url,
      scriptContent: Buffer.from(PRODUCTS_SCRIPT).toString('base64'),
      defaultUsers: 2,
      defaultDurationSec: 3,
    });
    // Thresholds are judged by the control plane that drives the run and stored in MongoDB.
    const run = await clientA.startRun(test.id, { thresholds: ['p95<1ms', 'p99<60s'] });

    const seenByB = await clientB.getRun(run.id);
    expect(seenByB.loadTestId).toBe(test.id);
    const updates: RunView[] = [];
    for await (const update of clientB.watchRun(run.id)) updates.push(update);
    const last = updates[updates.length - 1]!;
    expect(last.status).toBe('Finished');
    expect(last.verdict).toBe('failed');
    expect(last.thresholdVerdicts?.map((verdict) => [verdict.threshold, verdict.passed])).toEqual([
      ['p95<1ms', false],
      ['p99<60s', true],
      ['error_rate<100%', true],
    ]);

    const [listA, listB] = await Promise.all([clientA.listRuns({ loadTestId: test.id }), clientB.listRuns({ loadTestId: test.id })]);
    expect(listB.items.map((item) => item.id)).toEqual([run.id]);
    expect(listB.items).toEqual(listA.items);
  });

  it('refuses to listen on a non-loopback address without an API token', async () => {
    await expect(startServe(['--host', '0.0.0.0', '--port', '0', '--data-dir', join(workDir, 'c')])).rejects.toThrow(/without an API token/);
  });
});
