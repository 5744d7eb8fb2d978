// A Locust started the way the replaced system's set-up guide says (its plugin, its
// CONTROL_PLANE_URL / CONTROL_PLANE_TOKEN / METRICS_PUSH_INTERVAL), registered as a cluster of a
// `loadctl serve` on FerretDB, and driven by the calls of its run-vm-test-plugin.sh by plain HTTP.
// The plugin is test/e2e/fixtures/harness_plugin/locust_harness_like.py, our own code speaking its protocol.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { MongoClient } from 'mongodb';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { findFreePort } from '../../src/locust/free-port.js';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';

const PRODUCTS_SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py'), 'utf8');
const PLUGIN_DIR = join(REPO_ROOT, 'test/e2e/fixtures/harness_plugin');
const API_TOKEN = 'api-token-products-test-2025';
const CALLBACK_TOKEN = 'secure-token-vm-test-2025';

async function http(method: string, url: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${API_TOKEN}` }): Promise<{ status: number; json: any; text: string }> {
  const response = await request(url, {
    method: method as 'GET',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, json, text };
}

describe('a cluster running the replaced system’s plugin', () => {
  const database = `loadctl_harness_${randomBytes(4).toString('hex')}`;
  let workDir: string;
  let target: DemoTarget;
  let serve: ServeProcess;
  let locust: ResultPromise;
  let locustOutput = '';
  let locustUrl: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-harness-'));
    target = await startDemoTarget({ port: 0 });
    const locustPort = await findFreePort();
    const servePort = await findFreePort();
    const deadPort = await findFreePort();
    locustUrl = `http://127.0.0.1:${locustPort}`;

    // No `plugin:` key on the cluster: loadctl asks the Locust which plugin it runs.
    const config = join(workDir, 'vm-test-config.yaml');
    writeFileSync(
      config,
      [
        'server:',
        '  host: 127.0.0.1',
        `  port: ${servePort}`,
        'mongodb:',
        `  uri: ${inject('mongoUri')}`,
        `  database: ${database}`,
        'security:',
        `  apiToken: ${API_TOKEN}`,
        `  locustCallbackToken: ${CALLBACK_TOKEN}`,
        'locustClusters:',
        '  - id: vm-cluster',
        `    baseUrl: http://127.0.0.1:${locustPort}`,
        '    accountId: my-account',
        '    envId: vm-test',
        '  - id: gone',
        `    baseUrl: http://127.0.0.1:${deadPort}`,
      ].join('\n'),
    );
    serve = await startServe(['--config', config, '--data-dir', join(workDir, 'data'), '--locust-bin', locustBinForTests()], { env: { LOADCTL_LOCUST: locustBinForTests() } });

    const script = join(workDir, 'vm-products-api.py');
    writeFileSync(script, `import locust_harness_like  # noqa: F401\n${PRODUCTS_SCRIPT}`);
    locust = execa(locustBinForTests(), ['-f', script, '--web-host', '127.0.0.1', '--web-port', String(locustPort), '--host', target.url], {
      env: { PYTHONPATH: PLUGIN_DIR, CONTROL_PLANE_URL: serve.url, CONTROL_PLANE_TOKEN: CALLBACK_TOKEN, METRICS_PUSH_INTERVAL: '1' },
      stdin: 'ignore',
      reject: false,
      all: true,
    });
    locust.all?.on('data', (chunk: Buffer) => (locustOutput += chunk.toString()));
    await waitFor(
      async () => (await request(`http://127.0.0.1:${locustPort}/controlplane/get-context`).catch(() => null))?.statusCode ?? 0,
      (status) => status === 200,
      { timeoutMs: 60_000, what: 'the harness-like Locust to answer' },
    );
  }, 120_000);

  afterAll(async () => {
    locust?.kill('SIGTERM');
    await locust;
    await serve?.stop();
    await target?.close();
    const client = new MongoClient(inject('mongoUri'));
    await client.db(database).dropDatabase().catch(() => undefined);
    await client.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs run-vm-test-plugin.sh’s calls to Finished, stores its metrics in all four collections, and answers its monitoring routes', async () => {
    expect((await http('GET', `${serve.url}/health`)).status).toBe(200);
    const created = await http('POST', `${serve.url}/v1/load-tests`, {
      name: 'VM Products API - Plugin Test',
      description: 'Clean user script with auto plugin injection',
      accountId: 'my-account',
      orgId: 'my-org',
      projectId: 'products-api',
      envId: 'vm-test',
      targetUrl: target.url,
      defaultUsers: 2,
      defaultSpawnRate: 2,
      defaultDurationSec: 4,
      scriptContent: Buffer.from(PRODUCTS_SCRIPT).toString('base64'),
      createdBy: 'run-vm-test-plugin.sh',
    });
    expect(created.status, created.text).toBe(201);

    // Exactly its script's body: no cluster named, the test's scope picks vm-cluster as there.
    const started = await http('POST', `${serve.url}/v1/load-tests/${created.json.id}/runs`, { targetUsers: 2, spawnRate: 2, durationSeconds: 4, triggeredBy: 'run-vm-test-plugin.sh' });
    expect(started.status, started.text).toBe(201);
    const runId: string = started.json.id;

    const run = await waitFor(
      async () => (await http('GET', `${serve.url}/v1/runs/${runId}`)).json,
      (current) => ['Finished', 'Stopped', 'Failed'].includes(current.status),
      { timeoutMs: 45_000, what: 'the run on the harness cluster to end' },
    );
    expect(run.status, `${run.error}\n${serve.output()}\n${locustOutput}`).toBe('Finished');
    expect(run).toMatchObject({ plugin: 'harness', autoStopped: true, locustClusterId: 'vm-cluster', triggeredBy: 'run-vm-test-plugin.sh', accountId: 'my-account' });
    expect(run.finalMetrics.totalRequests).toBeGreaterThan(0);
    expect(run.finalMetrics.errorRate).toBeLessThanOrEqual(1);
    expect(Object.keys(run.finalMetrics.requestStats).every((key) => /^[A-Z]+ \//.test(key))).toBe(true);
    // It measures no exceptions: the default exceptions==0 passes as "not measured".
    expect(run.thresholdVerdicts.find((verdict: { metric: string }) => verdict.metric === 'exceptions')).toMatchObject({ passed: true, reason: 'not measured' });
    // Its set-context got the run, the duration and (from the cluster's scope) tenantId and envId.
    const context = (await http('GET', `${locustUrl}/controlplane/get-context`, undefined, {})).json.context;
    expect(context).toEqual({ run_id: runId, tenant_id: 'my-account', env_id: 'vm-test', duration_seconds: '4' });

    const mongo = new MongoClient(inject('mongoUri'));
    try {
      const db = mongo.db(database);
      // recentRuns are read from the runs: through the API, as its clients see them.
      const test = (await http('GET', `${serve.url}/v1/load-tests/${created.json.id}`)).json;
      expect(test.recentRuns[0]).toMatchObject({ runId, status: 'Finished' });
      expect(test.recentRuns[0].totalRequests).toBe(run.finalMetrics.totalRequests);
      expect(await db.collection('script_revisions').countDocuments({ loadTestId: created.json.id })).toBe(1);
      const stored = await db.collection('load_test_runs').findOne({ _id: runId as never });
      expect(stored).toMatchObject({ status: 'Finished', plugin: 'harness' });
      expect(stored?.finalMetrics?.totalRequests).toBe(run.finalMetrics.totalRequests);
      const pushes = await db.collection('metrics_timeseries').find({ runId }).sort({ seq: 1 }).toArray();
      // 4 s at one push a second, plus test-stop.
      expect(pushes.length).toBeGreaterThanOrEqual(3);
      expect(pushes.at(-1)?.totalRequests).toBe(run.finalMetrics.totalRequests);
    } finally {
      await mongo.close();
    }

    const summary = await http('GET', `${serve.url}/v1/visualization/runs/${runId}/summary`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.summary).toMatchObject({ totalRequests: run.finalMetrics.totalRequests });
    expect(summary.json.summary.requestsPerSecond).toBeGreaterThan(0);
    expect(summary.json.summary.errorRate).toBeCloseTo((run.finalMetrics.totalFailures / run.finalMetrics.totalRequests) * 100, 6);

    const timeline = await http('GET', `${serve.url}/v1/visualization/runs/${runId}/timeline`);
    expect(timeline.status, timeline.text).toBe(200);
    expect(timeline.json.dataPoints.length).toBeGreaterThanOrEqual(2);
    // No histograms from this plugin: window percentiles are its own.
    expect(timeline.json.dataPoints.some((point: { p95ResponseMs: number }) => point.p95ResponseMs > 0)).toBe(true);

    for (const path of [`/v1/visualization/runs/${runId}/graph`, `/v1/runs/${runId}/graph`]) {
      const graph = await http('GET', `${serve.url}${path}`);
      expect(graph.status, graph.text).toBe(200);
      expect(graph.json).toMatchObject({ runId, status: 'Finished' });
      expect(graph.json.dataPoints.reduce((sum: number, point: { requestsPerSec: number }) => sum + point.requestsPerSec, 0)).toBeGreaterThan(0);
    }
    const log = await http('GET', `${serve.url}/v1/runs/${runId}/requests?limit=5`);
    expect(log.status, log.text).toBe(200);
    expect(log.json.requests.length).toBeGreaterThan(0);
    expect(log.json.requests.length).toBeLessThanOrEqual(5);
    const scatter = await http('GET', `${serve.url}/v1/runs/${runId}/metrics/scatter`);
    expect(scatter.status, scatter.text).toBe(200);
    expect(scatter.json.endpoints).toContain('GET /api/products');

    const revision = await http('GET', `${serve.url}/v1/load-tests/${created.json.id}/script/revisions/${created.json.latestRevisionId}`);
    expect(revision.status, revision.text).toBe(200);
    expect(revision.json).toMatchObject({ id: created.json.latestRevisionId, revision: 1 });
    // Its scripts print /swagger/index.html: it leads to the Swagger UI.
    const moved = await request(`${serve.url}/swagger/index.html`);
    await moved.body.dump();
    expect(moved.statusCode).toBe(302);
    const swagger = await http('GET', new URL(String(moved.headers.location), serve.url).toString(), undefined, {});
    expect(swagger.status).toBe(200);
    expect(swagger.text).toContain('swagger-ui');
    const openapi = (await http('GET', `${serve.url}/openapi.json`, undefined, {})).json;
    for (const path of ['/v1/visualization/runs/{id}/summary', '/v1/visualization/runs/{id}/timeline', '/v1/visualization/runs/{id}/graph', '/v1/runs/{id}/graph', '/v1/runs/{id}/requests', '/v1/runs/{id}/metrics/scatter']) {
      expect(openapi.paths, path).toHaveProperty([path]);
    }
  }, 90_000);

  it('refuses the static token for a run that is not on such a cluster, storing nothing', async () => {
    const created = await http('POST', `${serve.url}/v1/load-tests`, { name: 'not harness', targetUrl: target.url, scriptContent: Buffer.from(PRODUCTS_SCRIPT).toString('base64'), defaultDurationSec: 2 });
    expect(created.status, created.text).toBe(201);
    // The cluster "gone" answers nothing: its run fails without ever being marked harness.
    const started = await http('POST', `${serve.url}/v1/load-tests/${created.json.id}/runs`, { locustClusterId: 'gone' });
    expect(started.status, started.text).toBe(201);
    const runId: string = started.json.id;
    await waitFor(async () => (await http('GET', `${serve.url}/v1/runs/${runId}`)).json.status, (status) => status === 'Failed', { timeoutMs: 30_000, what: 'the run on the dead cluster to fail' });

    const staticHeader = { 'x-locust-token': CALLBACK_TOKEN };
    const metrics = { runId, metrics: { timestamp: new Date().toISOString(), totalRps: 1, totalRequests: 5, totalFailures: 0, currentUsers: 1, errorRate: 0, avgResponseMs: 1, p50ResponseMs: 1, p95ResponseMs: 1, p99ResponseMs: 1, requestStats: {} } };
    for (const [path, body] of [
      ['test-start', { runId, tenantId: '', envId: '' }],
      ['metrics', metrics],
      ['test-stop', { runId, tenantId: '', envId: '', finalMetrics: metrics.metrics, autoStopped: true }],
    ] as const) {
      const answer = await http('POST', `${serve.url}/v1/internal/locust/${path}`, body, staticHeader);
      expect(answer.status, `${path}: ${answer.text}`).toBe(401);
    }
    const run = (await http('GET', `${serve.url}/v1/runs/${runId}`)).json;
    expect(run.status).toBe('Failed');
    expect(run.lastMetrics).toBeUndefined();
    expect((await http('GET', `${serve.url}/v1/runs/${runId}/metrics`)).json.total).toBe(0);
  }, 60_000);
});
