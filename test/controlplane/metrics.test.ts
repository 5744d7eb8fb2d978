// A run's metrics: raw pushes, a timeseries and one window's aggregate, with percentiles
// recomputed from the pushes' interval histograms. Expected values are worked by hand with
// Locust's rule: walk from the slowest bucket until at most floor(total × p) requests are left.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { atSecond, createTestViaApi, expectBadRequest, expectError, json, push, seedRun, startHarness, type Harness } from './_harness.js';

// The run started at 0 s and pushed every 2 s; totals are cumulative, histograms per interval.
const PUSHES = [
  push(1, 2, { totalRequests: 100, totalFailures: 1, currentUsers: 5, histogram: { '10': 50, '30': 50 } }),
  push(2, 4, { totalRequests: 200, totalFailures: 1, currentUsers: 10, histogram: { '20': 90, '500': 10 } }),
  push(3, 6, { totalRequests: 300, totalFailures: 4, currentUsers: 10, histogram: { '40': 100 } }),
  push(4, 8, { totalRequests: 400, totalFailures: 4, currentUsers: 10, histogram: { '10': 99, '900': 1 }, requestStats: { 'GET /a.b/[id]': { method: 'GET', name: '/a.b/[id]', numRequests: 400, numFailures: 4, avgResponseTime: 30, minResponseTime: 9, maxResponseTime: 910, medianResponseTime: 20, p95ResponseTime: 40, p99ResponseTime: 500, requestsPerSec: 50 } } }),
];

const point = (seconds: number, requests: number, failures: number, users: number, [p50, p95, p99]: number[]) => ({
  timestamp: atSecond(seconds),
  requests,
  failures,
  errorRate: failures / requests,
  rps: 50,
  users,
  p50ResponseMs: p50,
  p95ResponseMs: p95,
  p99ResponseMs: p99,
});

let h: Harness;
let run: Run;

beforeEach(async () => {
  h = await startHarness();
  const test = await createTestViaApi(h);
  run = await seedRun(h, test, { status: 'Finished', createdAt: atSecond(-1), startedAt: atSecond(0), finishedAt: atSecond(8) });
  for (const snapshot of PUSHES) await h.store.appendMetrics(run.id, snapshot);
});
afterEach(async () => {
  await h.close();
});

const get = (path: string) => h.app.inject({ method: 'GET', url: path });

describe('GET /v1/runs/{id}/metrics', () => {
  it('gives every push as stored, ordered by sequence number', async () => {
    const response = await get(`/v1/runs/${run.id}/metrics`);
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ items: PUSHES, total: 4 });
  });

  it('answers 404 for an unknown run and 400 for a malformed id', async () => {
    expectError(await get('/v1/runs/run_missing/metrics'), 404, 'LOADCTL_RUN_NOT_FOUND');
    expectBadRequest(await get('/v1/runs/run%20x/metrics'), 'id');
  });
});

describe('GET /v1/runs/{id}/metrics/timeseries', () => {
  it('gives one point per push by default, each from its own histogram', async () => {
    // {10:50, 30:50}: p50 leaves 50 after 30 → 30. {20:90, 500:10}: p95 leaves 90 ≤ 95 after 500 → 500.
    // {10:99, 900:1}: p95 leaves 99 > 95 after 900 → 10, p99 leaves 99 ≤ 99 → 900.
    const response = await get(`/v1/runs/${run.id}/metrics/timeseries`);
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toEqual({
      runId: run.id,
      from: null,
      to: null,
      stepSeconds: null,
      points: [point(2, 100, 1, 5, [30, 30, 30]), point(4, 100, 0, 10, [20, 500, 500]), point(6, 100, 3, 10, [40, 40, 40]), point(8, 100, 0, 10, [10, 10, 900])],
    });
  });

  it('merges the pushes of each step and recomputes its percentiles', async () => {
    // (0,4] {10:50, 20:90, 30:50, 500:10}: p50 leaves 190, 140, then 50 ≤ 100 after 20 → 20; p95 190 ≤ 190 after 500.
    // (4,8] {10:99, 40:100, 900:1}: p50/p95/p99 leave 199 after 900 (> 198), then 99 after 40 → 40.
    const body = json(await get(`/v1/runs/${run.id}/metrics/timeseries?step=4`));
    expect(body).toMatchObject({ stepSeconds: 4, from: null, to: null });
    expect(body.points).toEqual([
      point(4, 200, 1, 10, [20, 500, 500]),
      point(8, 200, 3, 10, [40, 40, 40]),
    ]);
  });

  it('cuts buckets from `from`, ends the last at `to`, and counts each from the push before it', async () => {
    // Buckets (1,4] and (4,7]. A push counts where the middle of its interval lies: p1 (0,2]
    // at 1 s is not after `from`, p2 (2,4] at 3 s is in the first, p3 and p4 at 5 s and 7 s in the second.
    const response = await get(`/v1/runs/${run.id}/metrics/timeseries?from=${atSecond(1)}&to=2025-01-01T01:00:07%2B01:00&step=3`);
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toEqual({
      runId: run.id,
      from: atSecond(1),
      to: atSecond(7),
      stepSeconds: 3,
      points: [point(4, 100, 0, 10, [20, 500, 500]), point(7, 200, 3, 10, [40, 40, 40])],
    });
  });

  it('gives no points for a run without pushes', async () => {
    const empty = await seedRun(h, { id: run.loadTestId, latestRevisionId: run.scriptRevisionId }, { status: 'Failed' });
    expect(json(await get(`/v1/runs/${empty.id}/metrics/timeseries?step=10`)).points).toEqual([]);
  });

  it('refuses a step that would give more than 100000 points, and says which step would do', async () => {
    const to = atSecond(200_000);
    const response = await get(`/v1/runs/${run.id}/metrics/timeseries?from=${atSecond(0)}&to=${to}&step=1`);
    expectBadRequest(response, 'step');
    expect(json(response).error.message).toContain('at least 2 s');
    expect((await get(`/v1/runs/${run.id}/metrics/timeseries?from=${atSecond(0)}&to=${to}&step=2`)).statusCode).toBe(200);
  });

  it.each([
    ['from', 'from=yesterday'],
    ['from', 'from=2025-01-01'],
    ['to', 'to=2025-01-01T25:00:00Z'],
    ['to', `from=${atSecond(4)}&to=${atSecond(4)}`],
    ['to', `from=${atSecond(4)}&to=${atSecond(2)}`],
    ['step', 'step=0'],
    ['step', 'step=1.5'],
    ['step', 'step=fast'],
    ['step', 'step=Infinity'],
    ['step', `step=${7 * 24 * 3600 + 1}`],
    ['bogus', 'bogus=1'],
  ])('refuses a bad %s (%s)', async (field, query) => {
    expectBadRequest(await get(`/v1/runs/${run.id}/metrics/timeseries?${query}`), field);
  });

  it('answers 404 for an unknown run', async () => {
    expectError(await get('/v1/runs/run_missing/metrics/timeseries'), 404, 'LOADCTL_RUN_NOT_FOUND');
  });
});

describe('GET /v1/runs/{id}/metrics/aggregate', () => {
  it('covers the whole run by default', async () => {
    // Merged {10:149, 20:90, 30:50, 40:100, 500:10, 900:1}, 400 requests:
    // p50 leaves 149 ≤ 200 after 20; p95 leaves 289 ≤ 380 after 40; p99 leaves 389 ≤ 396 after 500.
    const response = await get(`/v1/runs/${run.id}/metrics/aggregate`);
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toEqual({
      runId: run.id,
      from: null,
      to: null,
      pushes: 4,
      requests: 400,
      failures: 4,
      errorRate: 0.01,
      rps: 50,
      p50ResponseMs: 20,
      p95ResponseMs: 40,
      p99ResponseMs: 500,
      histogramCount: 400,
    });
  });

  it('takes one window, counted from the push before it', async () => {
    // p2+p3 {20:90, 40:100, 500:10}: p50 leaves 90 ≤ 100 after 40; p95 leaves 190 ≤ 190 after 500.
    const body = json(await get(`/v1/runs/${run.id}/metrics/aggregate?from=${atSecond(2)}&to=${atSecond(6)}`));
    expect(body).toEqual({
      runId: run.id,
      from: atSecond(2),
      to: atSecond(6),
      pushes: 2,
      requests: 200,
      failures: 3,
      errorRate: 0.015,
      rps: 50,
      p50ResponseMs: 40,
      p95ResponseMs: 500,
      p99ResponseMs: 500,
      histogramCount: 200,
    });
  });

  it('is all zeros for a window without pushes', async () => {
    const body = json(await get(`/v1/runs/${run.id}/metrics/aggregate?from=${atSecond(100)}`));
    expect(body).toMatchObject({ pushes: 0, requests: 0, failures: 0, errorRate: 0, rps: 0, p50ResponseMs: 0, p99ResponseMs: 0 });
  });

  it.each([
    ['from', 'from=soon'],
    ['to', 'to=2025-02-30T00:00:00Z'],
    ['to', `from=${atSecond(6)}&to=${atSecond(2)}`],
    ['step', 'step=2'],
  ])('refuses a bad %s (%s)', async (field, query) => {
    expectBadRequest(await get(`/v1/runs/${run.id}/metrics/aggregate?${query}`), field);
  });

  it('answers 404 for an unknown run and 400 for a malformed id', async () => {
    expectError(await get('/v1/runs/run_missing/metrics/aggregate'), 404, 'LOADCTL_RUN_NOT_FOUND');
    expectBadRequest(await get('/v1/runs/run!/metrics/aggregate'), 'id');
  });
});

describe('callbacks that say which interval they cover', () => {
  const post = (target: Run, body: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: '/v1/internal/locust/metrics', payload: { runId: target.id, ...body }, headers: { authorization: `Bearer ${target.callbackToken}` } });

  it('keeps intervalStart, intervalEnd and peakUsers, and starts the run where the first interval starts', async () => {
    const starting = await seedRun(h, { id: run.loadTestId, latestRevisionId: run.scriptRevisionId }, { status: 'Starting' });
    // test-start was lost: the first metrics push still says when the test began.
    const body = { seq: 1, timestamp: atSecond(2.002), intervalStart: atSecond(0), intervalEnd: atSecond(2.002), peakUsers: 3, currentUsers: 3, totalRequests: 198, totalFailures: 0 };
    expect((await post(starting, body)).statusCode).toBe(200);
    const [stored] = await h.store.listMetrics(starting.id);
    expect(stored).toMatchObject({ intervalStart: atSecond(0), intervalEnd: atSecond(2.002), peakUsers: 3 });
    expect((await h.store.getRun(starting.id))?.startedAt).toBe(atSecond(0));
  });

  it('refuses an interval that ends before it starts, storing nothing', async () => {
    const running = await seedRun(h, { id: run.loadTestId, latestRevisionId: run.scriptRevisionId }, { status: 'Running', startedAt: atSecond(0) });
    const response = await post(running, { seq: 1, timestamp: atSecond(2), intervalStart: atSecond(2), intervalEnd: atSecond(1), totalRequests: 5, totalFailures: 0 });
    expectBadRequest(response, 'intervalEnd');
    expect(await h.store.listMetrics(running.id)).toEqual([]);
  });
});
