// Callback tokens, the run's private script folder, and secrets kept out of every output.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import type { Run } from '../../src/domain/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SHOP_SCRIPT, base64, startHarness, type Harness } from '../controlplane/_harness.js';
import { REPO_ROOT, runCli, startCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';
import { MARKER_ENV, http, locustPids, locustScriptOf, newMarker, waitForNoLocust, workDir } from './_support.js';

describe('callback tokens', () => {
  let h: Harness;
  let running: Run;
  let other: Run;

  const post = (kind: string, runId: string, headers: Record<string, string>) =>
    h.app.inject({ method: 'POST', url: `/v1/internal/locust/${kind}`, payload: { runId, seq: 7, timestamp: new Date().toISOString(), totalRequests: 42, totalFailures: 1, histogram: { '10': 42 }, autoStopped: true }, headers });
  const state = async (run: Run) => ({ run: await h.store.getRun(run.id), metrics: await h.store.listMetrics(run.id) });

  beforeAll(async () => {
    h = await startHarness();
    const created = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { name: 'tokens', targetUrl: 'http://127.0.0.1:9', scriptContent: base64(SHOP_SCRIPT) } });
    const test = (await h.store.getLoadTest(created.json().id))!;
    // Two runs the plugin would be reporting to, written straight into the store (no Locust here).
    const seed = (id: string, token: string): Run => ({
      id,
      loadTestId: test.id,
      scriptRevisionId: test.latestRevisionId,
      status: 'Running',
      statusHistory: [{ from: null, to: 'Running', at: new Date().toISOString(), reason: 'seeded' }],
      targetUsers: 1,
      spawnRate: 1,
      durationSeconds: 60,
      targetUrl: 'http://127.0.0.1:9',
      callbackToken: token,
      createdAt: new Date().toISOString(),
      autoStopped: false,
    });
    // The store keeps only the tokens' hashes: the clear tokens are the ones given here.
    running = { ...(await h.store.createRun(seed('run_tokens_a', 'token-of-run-a-0123456789abcdef'))), callbackToken: 'token-of-run-a-0123456789abcdef' };
    other = { ...(await h.store.createRun(seed('run_tokens_b', 'token-of-run-b-0123456789abcdef'))), callbackToken: 'token-of-run-b-0123456789abcdef' };
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const kind of ['test-start', 'metrics', 'test-stop']) {
    it(`${kind}: a missing, wrong, or other run's token is 401 and changes nothing`, async () => {
      const before = await state(running);
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${running.callbackToken}x` }, { 'x-locust-token': 'wrong' }, { authorization: `Bearer ${other.callbackToken}` }] as Record<string, string>[]) {
        const answer = await post(kind, running.id, headers);
        expect(answer.statusCode, JSON.stringify(headers)).toBe(401);
        expect(answer.json().error.code).toBe('LOADCTL_UNAUTHORIZED');
      }
      expect(await state(running)).toEqual(before);
    });
  }

  it('the right token is accepted (so the refusals above are about the token)', async () => {
    const answer = await post('metrics', running.id, { authorization: `Bearer ${running.callbackToken}` });
    expect(answer.statusCode, answer.body).toBe(200);
    expect((await h.store.listMetrics(running.id)).map((snapshot) => snapshot.seq)).toEqual([7]);
    expect(await h.store.listMetrics(other.id)).toEqual([]);
  });
});

describe('a run’s private files and secrets', () => {
  const EVIL_NAME = '../../etc/evil';
  let work: ReturnType<typeof workDir>;
  let target: DemoTarget;
  let serve: ServeProcess;
  let cli: CliResult;
  let script: { path: string; dirMode: number; fileMode: number };
  let launchToken: string;
  let run: Run;
  let outputs: Record<string, string>;
  const marker = newMarker('security');

  beforeAll(async () => {
    work = workDir('security');
    target = await startDemoTarget({ port: 0 });
    const dataDir = join(work.dir, 'data');
    serve = await startServe(['--port', '0', '--data-dir', dataDir, '--locust-bin', locustBinForTests()], { env: { [MARKER_ENV]: marker } });
    const child = startCli(['run', '--server', serve.url, '--script', join(REPO_ROOT, 'locust/examples/products.py'), '--host', target.url, '--duration', '4', '--users', '1', '--name', EVIL_NAME]);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // While it runs: the script Locust was given, and the launch token in Locust's environment.
    await waitFor(async () => stdout, (text) => /Running/.test(text) && locustPids(marker).length === 1, { timeoutMs: 60_000, what: `the run to be Running; output:\n${stdout}` });
    const [locust] = locustPids(marker);
    const where = locustScriptOf(locust!);
    script = { ...where, fileMode: statSync(where.path).mode & 0o777 };
    launchToken = /(?:^|\0)LOADCTL_LAUNCH_TOKEN=([^\0]*)/.exec(readFileSync(`/proc/${locust}/environ`, 'latin1'))![1]!;
    const done = await child;
    cli = { exitCode: done.exitCode ?? -1, stdout: String(done.stdout), stderr: String(done.stderr) };

    const store = new SqliteStore({ file: join(dataDir, 'loadctl.db') });
    await store.init();
    run = (await store.listRuns({ limit: 10, offset: 0 })).items[0]!;
    await store.close();
    const show = await runCli(['runs', 'show', run.id, '--json', '--server', serve.url]);
    const list = await runCli(['runs', 'list', '--json', '--server', serve.url]);
    const showText = await runCli(['runs', 'show', run.id, '--server', serve.url]);
    outputs = {
      'loadctl run': `${cli.stdout}\n${cli.stderr}`,
      'runs show --json': show.stdout + show.stderr,
      'runs show': showText.stdout + showText.stderr,
      'runs list --json': list.stdout + list.stderr,
      'GET /v1/runs/{id}': (await http('GET', `${serve.url}/v1/runs/${run.id}`)).text,
      'GET /v1/runs': (await http('GET', `${serve.url}/v1/runs`)).text,
      'GET /v1/runs/{id}/events': (await http('GET', `${serve.url}/v1/runs/${run.id}/events`)).text,
      'GET /v1/load-tests': (await http('GET', `${serve.url}/v1/load-tests`)).text,
      'serve log': serve.output(),
    };
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await target?.close();
    work?.remove();
  });

  it('the run itself went through (exit 0, Finished) under a test name that looks like a path', () => {
    expect(cli.exitCode, outputs['loadctl run']).toBe(0);
    expect(run.status).toBe('Finished');
  });

  it('Locust ran the script from a private 0700 folder loadctl-run-* in the temp dir, as locustfile.py (0600), whatever the test name', () => {
    expect(dirname(dirname(script.path))).toBe(tmpdir());
    expect(basename(dirname(script.path))).toMatch(/^loadctl-run-[A-Za-z0-9]{6}$/);
    expect(basename(script.path)).toBe('locustfile.py');
    expect(script.dirMode).toBe(0o700);
    expect(script.fileMode).toBe(0o600);
    expect(script.path).not.toContain('evil');
  });

  it('removed the script folder when the run ended, and left no Locust', async () => {
    await waitForNoLocust(marker);
    expect(existsSync(dirname(script.path))).toBe(false);
  });

  it('keeps the callback token (its stored hash) and the launch token out of every output and log', () => {
    // The clear callback token exists only in loadctl's and Locust's memory (see store-secrets.test.ts).
    expect(run.callbackTokenHash?.length).toBeGreaterThanOrEqual(16);
    expect(launchToken.length).toBeGreaterThanOrEqual(16);
    for (const [where, text] of Object.entries(outputs)) {
      expect(text.length, where).toBeGreaterThan(0);
      expect(text.includes(run.callbackTokenHash!), `callback token hash in ${where}`).toBe(false);
      expect(text.includes(launchToken), `launch token in ${where}`).toBe(false);
    }
  });
});
