// The replaced system's monitoring answers, computed from stored pushes: unit checks of the
// arithmetic, and the routes over a real control plane and embedded store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endpointIntervalsOf, goDuration } from '../../src/controlplane/harness-monitoring.js';
import type { EndpointStats } from '../../src/domain/types.js';
import { atSecond, createTestViaApi, json, push, seedRun, startHarness, type CreatedTest, type Harness } from './_harness.js';

function endpoint(numRequests: number, numFailures: number, avgResponseTime: number): EndpointStats {
  return { method: 'GET', name: '/x', numRequests, numFailures, avgResponseTime, minResponseTime: 1, maxResponseTime: 90, medianResponseTime: 10, p95ResponseTime: 0, p99ResponseTime: 0, requestsPerSec: 0 };
}

describe('endpointIntervalsOf', () => {
  it('gives each endpoint’s requests, failures and mean per interval from cumulative numbers', () => {
    const pushes = [
      push(1, 2, { totalRequests: 10, requestStats: { 'GET /x': endpoint(10, 0, 20) } }),
      push(2, 4, { totalRequests: 30, requestStats: { 'GET /x': endpoint(30, 1, 40) } }),
      push(3, 6, { totalRequests: 30, requestStats: { 'GET /x': endpoint(30, 1, 40) } }),
    ];
    // (30 × 40 − 10 × 20) / 20 = 50 ms in the second interval; nothing in the third.
    expect(endpointIntervalsOf(pushes)).toEqual([
      { timestampMs: Date.parse(atSecond(2)), method: 'GET', name: '/x', requests: 10, failures: 0, avgResponseMs: 20 },
      { timestampMs: Date.parse(atSecond(4)), method: 'GET', name: '/x', requests: 20, failures: 1, avgResponseMs: 50 },
    ]);
  });

  it('prints spans as Go’s time.Duration rounded to the second', () => {
    expect([0, 4.4, 65, 3600, 3725.6].map(goDuration)).toEqual(['0s', '4s', '1m5s', '1h0m0s', '1h2m6s']);
  });
});

describe('monitoring routes', () => {
  let h: Harness;
  let test: CreatedTest;
  beforeEach(async () => {
    h = await startHarness();
    test = await createTestViaApi(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('answer in its shapes and units from the stored pushes, and 404 for an unknown run', async () => {
    const final = push(2, 4, { totalRequests: 40, totalFailures: 4, avgResponseMs: 25, p95ResponseMs: 70, requestStats: { 'GET /x': endpoint(40, 4, 25) } });
    const run = await seedRun(h, test, { startedAt: atSecond(0), finishedAt: atSecond(4), finalMetrics: final, lastMetrics: final });
    await h.store.appendMetrics(run.id, push(1, 2, { totalRequests: 20, totalFailures: 0, requestStats: { 'GET /x': endpoint(20, 0, 20) } }));
    await h.store.appendMetrics(run.id, final);

    const summary = json(await h.app.inject({ url: `/v1/visualization/runs/${run.id}/summary` }));
    expect(summary).toMatchObject({ runId: run.id, status: 'Finished', duration: '4s', totalRequests: 40, errorRate: 10, avgResponseTime: 0.025 });
    expect(summary.summary).toEqual({ totalRequests: 40, totalFailures: 4, requestsPerSecond: 10, errorRate: 10, avgResponseTime: 25, p50ResponseTime: expect.any(Number), p95ResponseTime: 70, p99ResponseTime: expect.any(Number) });

    const graph = json(await h.app.inject({ url: `/v1/runs/${run.id}/graph` }));
    expect(graph.dataPoints.map((point: { requestsPerSec: number; errorsPerSec: number }) => [point.requestsPerSec, point.errorsPerSec])).toEqual([
      [10, 0],
      [10, 2],
    ]);
    const log = json(await h.app.inject({ url: `/v1/runs/${run.id}/requests?limit=1` }));
    expect(log).toEqual({ runId: run.id, requests: [{ timestamp: Date.parse(atSecond(4)), requestType: 'GET', responseTime: 30, url: '/x', responseLength: 0, success: false }], total: 1, limit: 1 });
    const timeline = json(await h.app.inject({ url: `/v1/visualization/runs/${run.id}/timeline?from=${atSecond(2)}` }));
    expect(timeline.dataPoints).toHaveLength(1);
    expect(timeline.summary).toMatchObject({ totalRequests: 40, overallErrorRate: 10, dataPoints: 2 });
    expect(json(await h.app.inject({ url: `/v1/runs/${run.id}/metrics/scatter` })).endpoints).toEqual(['GET /x']);
    expect((await h.app.inject({ url: '/v1/runs/run_missing/graph' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/v1/runs/${run.id}/requests?limit=0` })).statusCode).toBe(400);
  });
});
