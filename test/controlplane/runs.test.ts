// Runs: start, list, read, summary, stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointStats, MetricsSnapshot } from '../../src/domain/types.js';
import { toRunView } from '../../src/controlplane/views.js';
import { atSecond, createTestViaApi, expectBadRequest, expectError, json, push, seedRun, startHarness, storeContents, waitForRun, type CreatedTest, type Harness } from './_harness.js';

function stats(method: string, name: string, numRequests: number, numFailures: number): EndpointStats {
  return { method, name, numRequests, numFailures, avgResponseTime: 12.5, minResponseTime: 1.25, maxResponseTime: 480, medianResponseTime: 11, p95ResponseTime: 90, p99ResponseTime: 310, requestsPerSec: 3.5 };
}

// Endpoint names with dots, brackets, spaces and a leading "$", as real scripts produce.
// The final push ends at the stop, 30.5 s after the start, as the plugin sends it.
const FINAL: MetricsSnapshot = push(3, 30.5, {
  totalRps: 1000 / 30.5,
  totalRequests: 1000,
  totalFailures: 30,
  currentUsers: 5,
  errorRate: 0.03,
  avgResponseMs: 14.5,
  p50ResponseMs: 12,
  p95ResponseMs: 95,
  p99ResponseMs: 320,
  requestStats: {
    'GET /api/products/[id]': stats('GET', '/api/products/[id]', 500, 0),
    'POST /search?q=red shoes': stats('POST', '/search?q=red shoes', 200, 20),
    'GET $metrics.json': stats('GET', '$metrics.json', 100, 0),
    'GET /v1.2/x': stats('GET', '/v1.2/x', 200, 10),
  },
  errors: [
    { method: 'GET', name: '/v1.2/x', error: 'HTTPError(500, "a.b")', occurrences: 10 },
    { method: 'POST', name: '/search?q=red shoes', error: 'ConnectionResetError', occurrences: 20 },
  ],
  histogram: { '0': 1, '9': 600, '110': 300, '2400': 99 },
});

let h: Harness;
let test: CreatedTest;

beforeEach(async () => {
  h = await startHarness();
  test = await createTestViaApi(h, { maxDurationSec: 600 });
});
afterEach(async () => {
  await h.close();
});

function finishedRun(overrides = {}) {
  return seedRun(h, test, {
    name: 'nightly',
    status: 'Finished',
    statusHistory: [
      { from: null, to: 'Pending', at: atSecond(-2), reason: 'run requested' },
      { from: 'Pending', to: 'Starting', at: atSecond(-1) },
      { from: 'Starting', to: 'Running', at: atSecond(0) },
      { from: 'Running', to: 'Finished', at: atSecond(30.5), reason: 'duration of 30s elapsed' },
    ],
    createdAt: atSecond(-2),
    startedAt: atSecond(0),
    finishedAt: atSecond(30.5),
    autoStopped: true,
    locustEndpoint: 'http://127.0.0.1:8089',
    lastMetrics: FINAL,
    finalMetrics: FINAL,
    ...overrides,
  });
}

describe('POST /v1/load-tests/{id}/runs', () => {
  it('creates the run from the test’s defaults and answers it without secrets', async () => {
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { name: 'smoke', targetUsers: 3 } });
    expect(response.statusCode, response.body).toBe(201);
    const body = json(response);
    expect(body).toMatchObject({ loadTestId: test.id, scriptRevisionId: test.latestRevisionId, name: 'smoke', status: 'Pending', targetUsers: 3, spawnRate: 3, durationSeconds: 60, autoStopped: false });
    expect(body).not.toHaveProperty('callbackToken');
    expect(body).not.toHaveProperty('launchToken');
    await waitForRun(h.store, body.id, (run) => run.status === 'Failed');
  });

  it.each([
    ['targetUsers', { targetUsers: 0 }],
    ['targetUsers', { targetUsers: 'ten' }],
    ['targetUsers', { targetUsers: 100_001 }],
    ['spawnRate', { spawnRate: 0 }],
    ['durationSeconds', { durationSeconds: 0 }],
    ['durationSeconds', { durationSeconds: 601 }],
    ['targetUrl', { targetUrl: 'not a url' }],
    ['revisionId', { revisionId: 'rev x' }],
    ['locustClusterId', { locustClusterId: 'nowhere' }],
    ['bogus', { bogus: 1 }],
  ])('refuses a bad %s and creates no run', async (field, payload) => {
    expectBadRequest(await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload }), field);
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('answers 404 for an unknown revision or test and creates no run', async () => {
    const revision = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { revisionId: 'rev_missing' } });
    expectError(revision, 404, 'LOADCTL_REVISION_NOT_FOUND');
    expectError(await h.app.inject({ method: 'POST', url: '/v1/load-tests/lt_missing/runs', payload: {} }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('GET /v1/runs/{id}', () => {
  it('gives a finished run whole: requestStats with awkward names, errors, histogram, history', async () => {
    const run = await finishedRun();
    const response = await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}` });
    expect(response.statusCode).toBe(200);
    const body = json(response);
    expect(body).toEqual(toRunView(run));
    expect(body.finalMetrics.requestStats).toEqual(FINAL.requestStats);
    expect(Object.keys(body.lastMetrics.requestStats)).toHaveLength(4);
    expect(body.finalMetrics.histogram).toEqual(FINAL.histogram);
    expect(response.body).not.toContain(run.callbackToken);
  });

  it('answers 404 for an unknown run and 400 for a malformed id', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/v1/runs/run_missing' }), 404, 'LOADCTL_RUN_NOT_FOUND');
    expectBadRequest(await h.app.inject({ method: 'GET', url: '/v1/runs/run.1' }), 'id');
  });
});

describe('GET /v1/runs', () => {
  async function seedThree() {
    const other = await createTestViaApi(h, { name: 'other' });
    const early = await seedRun(h, test, { status: 'Failed', createdAt: atSecond(10) });
    const middle = await seedRun(h, other, { status: 'Finished', createdAt: atSecond(20) });
    const late = await finishedRun({ createdAt: atSecond(30) });
    return { other, early, middle, late };
  }
  const ids = (response: { body: string }) => (JSON.parse(response.body) as { items: { id: string }[] }).items.map((item) => item.id);

  it('lists newest first, whole, with the total and the page', async () => {
    const { early, middle, late } = await seedThree();
    const response = await h.app.inject({ method: 'GET', url: '/v1/runs?limit=2' });
    expect(json(response)).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(ids(response)).toEqual([late.id, middle.id]);
    expect(json(response).items[0]).toEqual(toRunView(late));
    expect(ids(await h.app.inject({ method: 'GET', url: '/v1/runs?offset=2' }))).toEqual([early.id]);
  });

  it('filters by status, test, since (inclusive) and until (exclusive)', async () => {
    const { other, early, middle, late } = await seedThree();
    expect(ids(await h.app.inject({ method: 'GET', url: '/v1/runs?status=Finished' }))).toEqual([late.id, middle.id]);
    expect(ids(await h.app.inject({ method: 'GET', url: '/v1/runs?status=Failed,Finished' }))).toEqual([late.id, middle.id, early.id]);
    expect(ids(await h.app.inject({ method: 'GET', url: `/v1/runs?loadTestId=${other.id}` }))).toEqual([middle.id]);
    expect(ids(await h.app.inject({ method: 'GET', url: `/v1/runs?since=${atSecond(20)}` }))).toEqual([late.id, middle.id]);
    expect(ids(await h.app.inject({ method: 'GET', url: `/v1/runs?until=${atSecond(20)}` }))).toEqual([early.id]);
    // An offset and no milliseconds mean the same instant.
    expect(ids(await h.app.inject({ method: 'GET', url: `/v1/runs?since=2025-01-01T01:00:10%2B01:00&until=2025-01-01T00:00:30Z` }))).toEqual([middle.id, early.id]);
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/runs?until=${atSecond(20)}` }))).toMatchObject({ total: 1 });
  });

  it.each([
    ['status', 'status=Done'],
    ['status', 'status=Finished,'],
    ['loadTestId', 'loadTestId=lt%20x'],
    ['since', 'since=yesterday'],
    ['until', 'until=2025-13-01T00:00:00Z'],
    ['until', `since=${atSecond(20)}&until=${atSecond(20)}`],
    ['until', `since=${atSecond(20)}&until=${atSecond(10)}`],
    ['limit', 'limit=0'],
    ['offset', 'offset=x'],
    ['offset', 'offset=-Infinity'],
    ['bogus', 'bogus=1'],
  ])('refuses a bad %s (%s)', async (field, query) => {
    expectBadRequest(await h.app.inject({ method: 'GET', url: `/v1/runs?${query}` }), field);
  });
});

describe('GET /v1/load-tests/{id}/runs', () => {
  it('lists only that test’s runs, with the same filters', async () => {
    const other = await createTestViaApi(h, { name: 'other' });
    const mine = await finishedRun({ createdAt: atSecond(5) });
    await seedRun(h, other);
    const failed = await seedRun(h, test, { status: 'Failed', createdAt: atSecond(1) });
    const response = await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/runs` });
    expect(json(response)).toMatchObject({ total: 2, items: [{ id: mine.id }, { id: failed.id }] });
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/runs?status=Failed` }))).toMatchObject({ total: 1, items: [{ id: failed.id }] });
  });

  it('answers 404 for an unknown test and 400 for a bad filter', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt_missing/runs' }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expectBadRequest(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/runs?until=soon` }), 'until');
  });
});

describe('GET /v1/runs/{id}/summary', () => {
  it('gives totals and one row per endpoint sorted by name, from the final push', async () => {
    const run = await finishedRun({ lastMetrics: push(2, 28, { totalRequests: 900 }) });
    const response = await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/summary` });
    expect(response.statusCode, response.body).toBe(200);
    const row = (method: string, name: string, requests: number, failures: number) => ({
      method, name, requests, failures, errorRate: failures / requests, rps: requests / 30.5, avgResponseMs: 12.5, minResponseMs: 1.25, maxResponseMs: 480, p50ResponseMs: 11, p95ResponseMs: 90, p99ResponseMs: 310,
    });
    expect(json(response)).toEqual({
      runId: run.id,
      loadTestId: test.id,
      status: 'Finished',
      startedAt: atSecond(0),
      finishedAt: atSecond(30.5),
      durationSeconds: 30.5,
      plannedDurationSeconds: 30,
      source: 'final',
      // Rates over the load: requests / 30.5 s, whatever the push's requestsPerSec says.
      totals: { requests: 1000, failures: 30, errorRate: 0.03, rps: 1000 / 30.5, avgResponseMs: 14.5, p50ResponseMs: 12, p95ResponseMs: 95, p99ResponseMs: 320, exceptions: 0 },
      // Code-point order: "$" before "/".
      endpoints: [row('GET', '$metrics.json', 100, 0), row('GET', '/api/products/[id]', 500, 0), row('POST', '/search?q=red shoes', 200, 20), row('GET', '/v1.2/x', 200, 10)],
      errors: [
        { method: 'POST', name: '/search?q=red shoes', error: 'ConnectionResetError', occurrences: 20 },
        { method: 'GET', name: '/v1.2/x', error: 'HTTPError(500, "a.b")', occurrences: 10 },
      ],
      exceptions: [],
    });
  });

  it('gives zeros and a null duration for a run that never started', async () => {
    const run = await seedRun(h, test, { status: 'Failed', error: 'Locust could not be started' });
    const body = json(await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/summary` }));
    expect(body).toMatchObject({ source: 'none', durationSeconds: null, endpoints: [], errors: [], totals: { requests: 0, rps: 0, p95ResponseMs: 0 } });
    expect(body).not.toHaveProperty('startedAt');
  });

  it('answers 404 for an unknown run and 400 for a malformed id', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/v1/runs/run_missing/summary' }), 404, 'LOADCTL_RUN_NOT_FOUND');
    expectBadRequest(await h.app.inject({ method: 'GET', url: '/v1/runs/run%20x/summary' }), 'id');
  });
});

describe('POST /v1/runs/{id}/stop', () => {
  it('stops a running run: 202, and the run ends Stopped (no Locust answered here)', async () => {
    const run = await seedRun(h, test, { status: 'Running', startedAt: atSecond(0) });
    const response = await h.app.inject({ method: 'POST', url: `/v1/runs/${run.id}/stop` });
    expect(response.statusCode, response.body).toBe(202);
    expect(json(response).id).toBe(run.id);
    await waitForRun(h.store, run.id, (stored) => stored.status === 'Stopped');
  });

  it('refuses a finished run with 409 and changes nothing', async () => {
    const run = await finishedRun();
    const before = await storeContents(h.store);
    const response = await h.app.inject({ method: 'POST', url: `/v1/runs/${run.id}/stop` });
    expectError(response, 409, 'LOADCTL_RUN_CONFLICT');
    expect(json(response).error.details).toEqual({ status: 'Finished' });
    expect(await storeContents(h.store)).toEqual(before);
  });

  it('answers 404 for an unknown run and 400 for a malformed id', async () => {
    expectError(await h.app.inject({ method: 'POST', url: '/v1/runs/run_missing/stop' }), 404, 'LOADCTL_RUN_NOT_FOUND');
    expectBadRequest(await h.app.inject({ method: 'POST', url: '/v1/runs/run%3Fx/stop' }), 'id');
  });
});
