// Callbacks of the replaced system's plugin (static X-Locust-Token, its own bodies), over
// real HTTP injection into a real control plane and embedded store. The same protocol from a
// real Locust is covered in test/e2e/harness-plugin.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDefaultThresholds } from '../../src/domain/thresholds.js';
import { atSecond, createTestViaApi, json, seedRun, startHarness, storeContents, type CreatedTest, type Harness } from './_harness.js';

const STATIC_TOKEN = 'secure-token-vm-test-2025';

/** A snapshot as locust_harness_plugin.py's _collect_metrics builds it. */
function harnessMetrics(requests: number, failures: number) {
  return {
    timestamp: '2025-01-01T00:00:05.123456Z',
    totalRps: 4.5,
    totalRequests: requests,
    totalFailures: failures,
    currentUsers: 3,
    errorRate: requests === 0 ? 0 : (failures / requests) * 100,
    avgResponseMs: 12.5,
    p50ResponseMs: 11,
    p95ResponseMs: 30,
    p99ResponseMs: 45,
    requestStats: {
      'GET:/products': { method: 'GET', name: '/products', numRequests: requests, numFailures: failures, avgResponseTime: 12.5, minResponseTime: 3, maxResponseTime: 50, medianResponseTime: 11, requestsPerSec: 4.5 },
    },
  };
}

let h: Harness;
let test: CreatedTest;

beforeEach(async () => {
  h = await startHarness({ locustCallbackToken: STATIC_TOKEN });
  test = await createTestViaApi(h);
});
afterEach(async () => {
  await h.close();
});

const post = (path: string, payload: unknown, token = STATIC_TOKEN) =>
  h.app.inject({ method: 'POST', url: `/v1/internal/locust/${path}`, payload: payload as Record<string, unknown>, headers: { 'x-locust-token': token } });

describe('callbacks of the replaced system’s plugin', () => {
  it('refuses the static token on a run that is not on a cluster running that plugin, and stores nothing', async () => {
    const run = await seedRun(h, test, { status: 'Running', startedAt: atSecond(0) });
    const before = await storeContents(h.store);
    for (const [path, body] of [
      ['test-start', { runId: run.id, tenantId: 't', envId: 'e' }],
      ['metrics', { runId: run.id, metrics: harnessMetrics(10, 1) }],
      ['test-stop', { runId: run.id, tenantId: 't', envId: 'e', finalMetrics: harnessMetrics(12, 1), autoStopped: true }],
    ] as const) {
      const response = await post(path, body);
      expect(response.statusCode, path).toBe(401);
      expect(json(response).error.code).toBe('LOADCTL_UNAUTHORIZED');
    }
    expect(await storeContents(h.store)).toEqual(before);
    expect(await h.store.listMetrics(run.id)).toEqual([]);
  });

  it('refuses a wrong static token on a run of such a cluster', async () => {
    const run = await seedRun(h, test, { status: 'Running', startedAt: atSecond(0), plugin: 'harness' });
    expect((await post('metrics', { runId: run.id, metrics: harnessMetrics(10, 1) }, 'not-the-token')).statusCode).toBe(401);
    expect(await h.store.listMetrics(run.id)).toEqual([]);
  });

  it('normalises its bodies into loadctl’s model: percent → fraction, "METHOD name" keys, seq on arrival', async () => {
    const run = await seedRun(h, test, { status: 'Starting', plugin: 'harness', durationSeconds: 30, createdAt: new Date(Date.now() - 61_000).toISOString() });
    expect((await post('test-start', { runId: run.id, tenantId: 't', envId: 'e' })).statusCode).toBe(200);
    expect((await h.store.getRun(run.id))!.status).toBe('Running');
    const first = await post('metrics', { runId: run.id, metrics: harnessMetrics(10, 1) });
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toMatchObject({ success: true, duplicate: false });
    expect((await post('metrics', { runId: run.id, metrics: harnessMetrics(20, 1) })).statusCode).toBe(200);

    const pushes = await h.store.listMetrics(run.id);
    expect(pushes).toHaveLength(2);
    expect(pushes[1]!.seq).toBeGreaterThan(pushes[0]!.seq);
    expect(pushes[0]).toMatchObject({ totalRequests: 10, totalFailures: 1, errorRate: 0.1, currentUsers: 3, p95ResponseMs: 30, histogram: {}, errors: [] });
    expect(Object.keys(pushes[0]!.requestStats)).toEqual(['GET /products']);
    expect(pushes[0]!.totalExceptions).toBeUndefined();
    // Arrival time, not the plugin's clock.
    expect(pushes[0]!.timestamp).not.toBe('2025-01-01T00:00:05.123456Z');
  });

  it('believes autoStopped only once the duration has elapsed since the run started', async () => {
    const early = await seedRun(h, test, { status: 'Running', plugin: 'harness', durationSeconds: 30, startedAt: new Date(Date.now() - 5_000).toISOString() });
    expect((await post('test-stop', { runId: early.id, finalMetrics: harnessMetrics(5, 0), autoStopped: true })).statusCode).toBe(200);
    expect(await h.store.getRun(early.id)).toMatchObject({ status: 'Stopped', autoStopped: false });

    const due = await seedRun(h, test, { status: 'Running', plugin: 'harness', durationSeconds: 30, startedAt: new Date(Date.now() - 30_500).toISOString(), thresholds: withDefaultThresholds([], true) });
    expect((await post('test-stop', { runId: due.id, finalMetrics: harnessMetrics(50, 0), autoStopped: true })).statusCode).toBe(200);
    const finished = (await h.store.getRun(due.id))!;
    expect(finished).toMatchObject({ status: 'Finished', autoStopped: true });
    // Its plugin reports no exceptions: the default exceptions==0 passes as "not measured".
    expect(finished.thresholdVerdicts?.find((verdict) => verdict.metric === 'exceptions')).toMatchObject({ passed: true, reason: 'not measured', observed: null });
    expect(finished.verdict).toBe('passed');
  });

  it('refuses a metrics body without its metrics object, storing nothing', async () => {
    const run = await seedRun(h, test, { status: 'Running', plugin: 'harness', startedAt: atSecond(0) });
    const response = await post('metrics', { runId: run.id });
    expect(response.statusCode).toBe(400);
    expect(json(response).error.details).toMatchObject({ field: 'metrics' });
    expect(await h.store.listMetrics(run.id)).toEqual([]);
  });
});
