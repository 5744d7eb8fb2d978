// Requests that race the end of a run must never flip its state: two stops at once, a stop
// after the end, and plugin callbacks that arrive after test-stop. One `loadctl serve` with the
// embedded store; the store keeps only a hash of the callback token, so the test plants one it knows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';
import { http, MARKER_ENV, newMarker, plantCallbackToken, waitForNoLocust, waitForTerminalRun, workDir } from './_support.js';

const TERMINAL = ['Finished', 'Stopped', 'Failed'];
const SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py')).toString('base64');

describe('state races around the end of a run', () => {
  let work: ReturnType<typeof workDir>;
  let target: DemoTarget;
  let serve: ServeProcess;
  let store: SqliteStore;
  const marker = newMarker('races');
  let finishedRunId: string;
  let stoppedRunId: string;
  let stopAnswers: number[];
  let dataDir: string;
  const tokens: Record<string, string> = {};

  const getRun = async (id: string): Promise<any> => (await http('GET', `${serve.url}/v1/runs/${id}`)).json;
  const metricsOf = async (id: string): Promise<any[]> => (await http('GET', `${serve.url}/v1/runs/${id}/metrics`)).json.items;
  const callback = async (runId: string, kind: string, body: Record<string, unknown>) => {
    tokens[runId] ??= plantCallbackToken(join(dataDir, 'loadctl.db'), runId);
    const token = tokens[runId];
    return http('POST', `${serve.url}/v1/internal/locust/${kind}`, { runId, timestamp: new Date().toISOString(), ...body }, { authorization: `Bearer ${token}` });
  };

  beforeAll(async () => {
    work = workDir('races');
    target = await startDemoTarget({ port: 0 });
    dataDir = join(work.dir, 'data');
    serve = await startServe(['--port', '0', '--data-dir', dataDir, '--locust-bin', locustBinForTests()], { env: { [MARKER_ENV]: marker } });
    store = new SqliteStore({ file: join(dataDir, 'loadctl.db') });
    await store.init();

    const test = (await http('POST', `${serve.url}/v1/load-tests`, { name: 'races', targetUrl: target.url, scriptContent: SCRIPT, defaultUsers: 2, defaultSpawnRate: 2 })).json;
    // Both runs at once: one that finishes by itself, one that is stopped twice.
    const [finished, stopped] = await Promise.all([
      http('POST', `${serve.url}/v1/load-tests/${test.id}/runs`, { durationSeconds: 3 }),
      http('POST', `${serve.url}/v1/load-tests/${test.id}/runs`, { durationSeconds: 120 }),
    ]);
    expect([finished.status, stopped.status]).toEqual([201, 201]);
    finishedRunId = finished.json.id;
    stoppedRunId = stopped.json.id;

    await waitFor(() => getRun(stoppedRunId), (run) => run.status === 'Running' && (run.lastMetrics?.seq ?? 0) >= 1, { timeoutMs: 60_000, what: 'the run to stop to be Running with metrics' });
    const answers = await Promise.all([http('POST', `${serve.url}/v1/runs/${stoppedRunId}/stop`), http('POST', `${serve.url}/v1/runs/${stoppedRunId}/stop`)]);
    stopAnswers = answers.map((answer) => answer.status);
    await Promise.all([waitForTerminalRun(serve.url, stoppedRunId, 60_000), waitForTerminalRun(serve.url, finishedRunId, 60_000)]);
  }, 150_000);

  afterAll(async () => {
    await store?.close();
    await serve?.stop();
    await target?.close();
    work?.remove();
  });

  it('two stops at once: one 202, the other 202 or 409, and the run is Stopped exactly once', async () => {
    expect(stopAnswers).toContain(202);
    for (const status of stopAnswers) expect([202, 409]).toContain(status);
    const run = await getRun(stoppedRunId);
    const targets = run.statusHistory.map((change: { to: string }) => change.to);
    expect(run.status, run.error).toBe('Stopped');
    expect(run.autoStopped).toBe(false);
    expect(run.finalMetrics.totalRequests).toBeGreaterThan(0);
    expect(targets.filter((to: string) => TERMINAL.includes(to))).toEqual(['Stopped']);
    expect(targets.filter((to: string) => to === 'Stopping')).toEqual(['Stopping']);
    expect(targets[targets.length - 1]).toBe('Stopped');
    console.info(`[reliability] double stop answered ${stopAnswers.join(' and ')}; history ${targets.join(' → ')}`);
  });

  it('a stop after the run Finished is 409 and changes nothing', async () => {
    const before = await getRun(finishedRunId);
    expect(before.status).toBe('Finished');
    const answer = await http('POST', `${serve.url}/v1/runs/${finishedRunId}/stop`);
    expect(answer.status).toBe(409);
    expect(answer.json.error.code).toBe('LOADCTL_RUN_CONFLICT');
    expect(await getRun(finishedRunId)).toEqual(before);
  });

  it('a second stop after Stopped is 409 and changes nothing', async () => {
    const before = await getRun(stoppedRunId);
    const answer = await http('POST', `${serve.url}/v1/runs/${stoppedRunId}/stop`);
    expect(answer.status).toBe(409);
    expect(await getRun(stoppedRunId)).toEqual(before);
  });

  it('a late metrics push (a seq above any) after test-stop is 200 duplicate:true and moves no number', async () => {
    for (const runId of [finishedRunId, stoppedRunId]) {
      const [before, metricsBefore] = [await getRun(runId), await metricsOf(runId)];
      const seq = Math.max(...metricsBefore.map((snapshot) => snapshot.seq)) + 5;
      const answer = await callback(runId, 'metrics', { seq, totalRequests: 999_999, totalFailures: 7, histogram: { '10': 999_999 } });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toMatchObject({ success: true, duplicate: true, status: before.status });
      expect(await getRun(runId)).toEqual(before);
      expect(await metricsOf(runId)).toEqual(metricsBefore);
    }
  });

  it('a late test-stop (a seq above any, claiming the opposite ending) after the end changes nothing', async () => {
    for (const [runId, autoStopped] of [[finishedRunId, false], [stoppedRunId, true]] as const) {
      const [before, metricsBefore] = [await getRun(runId), await metricsOf(runId)];
      const seq = Math.max(...metricsBefore.map((snapshot) => snapshot.seq)) + 10;
      const answer = await callback(runId, 'test-stop', { seq, autoStopped, totalRequests: 888_888, totalFailures: 0, histogram: { '10': 888_888 } });
      // Acknowledged (the plugin must not retry) and answered with the status that stands.
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toMatchObject({ success: true, status: before.status });
      expect(await getRun(runId)).toEqual(before);
      expect(await metricsOf(runId)).toEqual(metricsBefore);
    }
  });

  it('a late or repeated test-start after the end changes nothing', async () => {
    for (const runId of [finishedRunId, stoppedRunId]) {
      const before = await getRun(runId);
      const answer = await callback(runId, 'test-start', { seq: 0, totalRequests: 0, totalFailures: 0 });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toMatchObject({ success: true, status: before.status });
      expect(await getRun(runId)).toEqual(before);
    }
  });

  it('leaves no Locust behind', async () => {
    await waitForNoLocust(marker);
  });
});
