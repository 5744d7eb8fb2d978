// `loadctl serve --config` with the replaced system's own config files (config/harness/,
// pointed at the test's FerretDB and a free port, every key kept): it starts, answers /health,
// takes run-vm-test-plugin.sh's calls, and filters by scope through the API and the CLI.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/cli.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';

const API_TOKEN = 'api-token-products-test-2025';
const SCRIPT = 'from locust import HttpUser, task\n\n\nclass Shopper(HttpUser):\n    @task\n    def browse(self):\n        self.client.get("/api/products")\n';

/** Its file with only the addresses changed: our FerretDB, a free port, a closed port for its Locust. */
function rewrite(name: string, uri: string, database: string, dir: string): string {
  const text = readFileSync(join(REPO_ROOT, 'config/harness', name), 'utf8')
    .replace('mongodb://127.0.0.1:27017', uri)
    .replace('database: "load_testing"', `database: "${database}"`)
    .replace('port: 8080', 'port: 0')
    .replaceAll(/http:\/\/127\.0\.0\.1:8[0-9]89/g, 'http://127.0.0.1:9');
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function http(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await request(url, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

describe('loadctl serve with the replaced system’s config files', () => {
  const uri = inject('mongoUri');
  const database = `loadctl_harness_${randomBytes(4).toString('hex')}`;
  let dir: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadctl-harness-config-'));
    serve = await startServe(['--config', rewrite('vm-test-config.yaml', uri, database, dir)], { env: { LOADCTL_DATA_DIR: dir } });
  });
  afterAll(async () => {
    await serve?.stop();
    const admin = new MongoClient(uri);
    await admin.db(database).dropDatabase();
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('vm-test-config.yaml: starts on MongoDB and answers /health', async () => {
    const health = await http('GET', `${serve.url}/health`);
    expect(health).toEqual({ status: 200, json: { status: 'ok' } });
    expect(serve.output()).toContain(`(MongoDB database ${database})`);
    expect(serve.output()).not.toContain('metricsPollIntervalSeconds');
  });

  it('takes run-vm-test-plugin.sh’s calls and filters by scope in the API and the CLI', async () => {
    const created = await http('POST', `${serve.url}/v1/load-tests`, {
      name: 'VM Products API - Plugin Test',
      description: 'Clean user script with auto plugin injection',
      accountId: 'my-account',
      orgId: 'my-org',
      projectId: 'products-api',
      envId: 'vm-test',
      targetUrl: 'http://127.0.0.1:8000',
      defaultUsers: 5,
      defaultSpawnRate: 2,
      defaultDurationSec: 30,
      scriptContent: Buffer.from(SCRIPT).toString('base64'),
      createdBy: 'run-vm-test-plugin.sh',
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const run = await http('POST', `${serve.url}/v1/load-tests/${created.json.id}/runs`, { targetUsers: 5, spawnRate: 2, durationSeconds: 30, triggeredBy: 'run-vm-test-plugin.sh' });
    expect(run.status, JSON.stringify(run.json)).toBe(201);
    // Its only cluster matches the test's scope; nothing listens there, so the run fails.
    expect(run.json).toMatchObject({ triggeredBy: 'run-vm-test-plugin.sh', accountId: 'my-account', locustClusterId: 'local-mac-cluster' });
    await waitFor(() => http('GET', `${serve.url}/v1/runs/${run.json.id}`), (answer) => answer.json.status === 'Failed', { timeoutMs: 30_000, what: 'the run to fail on the closed port' });

    expect((await http('GET', `${serve.url}/v1/load-tests?accountId=my-account&projectId=products-api`)).json.total).toBe(1);
    expect((await http('GET', `${serve.url}/v1/load-tests?accountId=someone-else`)).json.total).toBe(0);

    const client = ['--server', serve.url, '--token', API_TOKEN, '--json'];
    const tests = await runCli(['tests', 'list', ...client, '--account-id', 'my-account', '--env-id', 'vm-test']);
    expect(tests.exitCode, tests.stderr).toBe(0);
    expect(JSON.parse(tests.stdout).items.map((test: { id: string }) => test.id)).toEqual([created.json.id]);
    const none = await runCli(['tests', 'list', ...client, '--project-id', 'search-api']);
    expect(JSON.parse(none.stdout).total).toBe(0);
    const runs = await runCli(['runs', 'list', ...client, '--org-id', 'my-org', '--project-id', 'products-api']);
    expect(runs.exitCode, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout).items).toMatchObject([{ id: run.json.id, triggeredBy: 'run-vm-test-plugin.sh' }]);
  });

  it('config.yaml: starts too, saying metricsPollIntervalSeconds is not needed', async () => {
    const other = await startServe(['--config', rewrite('config.yaml', uri, database, dir)], { env: { LOADCTL_DATA_DIR: dir } });
    try {
      expect((await http('GET', `${other.url}/health`)).json.status).toBe('ok');
      expect(other.output()).toContain('orchestrator.metricsPollIntervalSeconds is not needed and is ignored');
    } finally {
      await other.stop();
    }
  });
});
