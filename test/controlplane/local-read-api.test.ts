// A read-only command answers from the store without the HTTP app (local-read-api.ts). Its
// answers must be the API's byte for byte (same fields, same order, same errors), and what
// it does not check itself must go to the full API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlPlaneApi } from '../../src/controlplane/client.js';
import { createLocalReadApi } from '../../src/controlplane/local-read-api.js';
import { isLoadctlError } from '../../src/domain/errors.js';
import { atSecond, createTestViaApi, push, seedRun, startHarness, type CreatedTest, type Harness } from './_harness.js';

let h: Harness;
let test: CreatedTest;
let delegated: string[];
let api: ControlPlaneApi;

beforeEach(async () => {
  h = await startHarness();
  test = await createTestViaApi(h, { tags: ['smoke'], accountId: 'acc', metadata: { 'a.b': { c: [1, null] } }, createdBy: 'ana' });
  delegated = [];
  // The full API stands in as a recorder: a call that reaches it is one the local reads left alone.
  const recorder = new Proxy({} as ControlPlaneApi, { get: (_target, name: string) => (name === 'then' ? undefined : async () => void delegated.push(name)) });
  api = createLocalReadApi(h.store, () => Promise.resolve(recorder));
});
afterEach(async () => {
  await h.close();
});

const snapshot = push(3, 6, {
  totalRequests: 90,
  totalFailures: 2,
  errorRate: 2 / 90,
  requestStats: { 'GET /a': { method: 'GET', name: '/a', numRequests: 90, numFailures: 2, avgResponseTime: 3.5, minResponseTime: 1, maxResponseTime: 9, medianResponseTime: 3, p95ResponseTime: 8, p99ResponseTime: 9, requestsPerSec: 15 } },
  errors: [{ method: 'GET', name: '/a', error: 'HTTPError(503)', occurrences: 2 }],
  histogram: { '3': 80, '9': 10 },
  intervalStart: atSecond(4),
  intervalEnd: atSecond(6),
});

async function apiBody(url: string): Promise<{ status: number; body: string }> {
  const response = await h.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.body };
}

async function errorOf(answer: Promise<unknown>): Promise<string> {
  const error = await answer.then(() => undefined, (caught: unknown) => caught);
  if (!isLoadctlError(error)) throw new Error(`expected a LoadctlError, got ${String(error)}`);
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}

describe('local reads answer as the API does', () => {
  it('runs, tests and revisions, byte for byte', async () => {
    const full = await seedRun(h, test, {
      accountId: 'acc',
      lastMetrics: snapshot,
      finalMetrics: { ...snapshot, seq: 4 },
      thresholds: [{ text: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, abortOnFail: false }],
      thresholdVerdicts: [{ threshold: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, observed: null, passed: false, reason: 'no data' }],
      verdict: 'failed',
      owner: { host: 'ci-1', pid: 42, startedAt: atSecond(0), heartbeatAt: atSecond(5) },
      metadata: { z: 1, a: { b: true } },
      createdAt: atSecond(10),
    });
    await seedRun(h, test, { status: 'Failed', error: 'Locust exited with code 1', createdAt: atSecond(20) });

    expect(JSON.stringify(await api.getRun(full.id))).toBe((await apiBody(`/v1/runs/${full.id}`)).body);
    expect(JSON.stringify(await api.listRuns({ limit: 20, offset: 0 }))).toBe((await apiBody('/v1/runs?limit=20&offset=0')).body);
    expect(JSON.stringify(await api.listRuns({ status: 'Finished,Failed', loadTestId: test.id, accountId: 'acc', limit: 1, offset: 0 }))).toBe(
      (await apiBody(`/v1/runs?status=Finished%2CFailed&loadTestId=${test.id}&accountId=acc&limit=1&offset=0`)).body,
    );
    expect(JSON.stringify(await api.listRuns())).toBe((await apiBody('/v1/runs')).body);
    expect(JSON.stringify(await api.getLoadTest(test.id))).toBe((await apiBody(`/v1/load-tests/${test.id}`)).body);
    expect(JSON.stringify(await api.listLoadTests({ name: 'SHO', tag: 'smoke', limit: 50, offset: 0 }))).toBe((await apiBody('/v1/load-tests?name=SHO&tag=smoke&limit=50&offset=0')).body);
    expect(JSON.stringify(await api.listRevisions(test.id))).toBe((await apiBody(`/v1/load-tests/${test.id}/script/revisions`)).body);
    expect(delegated).toEqual([]);
  });

  it('a missing run or test: the API’s error', async () => {
    const run = await apiBody('/v1/runs/run_missing');
    expect(run.status).toBe(404);
    expect(await errorOf(api.getRun('run_missing'))).toBe(run.body);
    expect(await errorOf(api.getLoadTest('lt_missing'))).toBe((await apiBody('/v1/load-tests/lt_missing')).body);
    expect(await errorOf(api.listRevisions('lt_missing'))).toBe((await apiBody('/v1/load-tests/lt_missing/script/revisions')).body);
  });

  it('leaves to the full API what it does not check, and every write', async () => {
    await api.listRuns({ limit: 501 });
    await api.listRuns({ status: 'Done' });
    await api.listRuns({ since: '2025-01-01T00:00:00Z' });
    await api.getRun('bad id/');
    await api.listLoadTests({ limit: 0 });
    await api.stopRun('run_x');
    await api.getMetricsTimeseries('run_x');
    expect(delegated).toEqual(['listRuns', 'listRuns', 'listRuns', 'getRun', 'listLoadTests', 'stopRun', 'getMetricsTimeseries']);
  });
});
