import { describe, expect, it } from 'vitest';
import { peakUsersOf } from '../../src/domain/intervals.js';
import { actualDurationSeconds, errorRateOf, resultMetricsOf, summarizeResults, summarizeRun, totalsOf, windowStatsOf, withRunRates } from '../../src/domain/summary.js';
import type { EndpointStats, Histogram, MetricsSnapshot, Run } from '../../src/domain/types.js';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

function push(seq: number, seconds: number, totalRequests: number, totalFailures: number, histogram: Histogram): MetricsSnapshot {
  return {
    seq,
    timestamp: at(seconds),
    totalRps: 0,
    totalRequests,
    totalFailures,
    currentUsers: 5,
    errorRate: 0,
    avgResponseMs: 0,
    // Locust's own running percentiles; the window's are recomputed from the histograms.
    p50ResponseMs: 999,
    p95ResponseMs: 999,
    p99ResponseMs: 999,
    requestStats: {},
    errors: [],
    histogram,
  };
}

function run(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run_1',
    loadTestId: 'lt_1',
    scriptRevisionId: 'rev_1',
    status: 'Finished',
    statusHistory: [],
    targetUsers: 5,
    spawnRate: 5,
    durationSeconds: 30,
    targetUrl: 'http://127.0.0.1:8000',
    callbackToken: 'secret',
    createdAt: at(-1),
    autoStopped: true,
    ...overrides,
  };
}

describe('summarizeRun', () => {
  it('takes its numbers from the final push', () => {
    const final = { ...push(9, 30, 1200, 12, {}), errorRate: 0.01, p95ResponseMs: 180 };
    const last = { ...push(8, 28, 1100, 11, {}), errorRate: 0.5, p95ResponseMs: 5 };
    expect(summarizeRun(run({ finishedAt: at(30), finalMetrics: final, lastMetrics: last }))).toEqual({
      runId: 'run_1',
      status: 'Finished',
      createdAt: at(-1),
      finishedAt: at(30),
      targetUsers: 5,
      durationSeconds: 30,
      totalRequests: 1200,
      totalFailures: 12,
      errorRate: 0.01,
      p95ResponseMs: 180,
    });
  });

  it('falls back to the last push when no final one came (a Failed or force-Stopped run)', () => {
    const last = { ...push(3, 6, 90, 3, {}), errorRate: 0.0333, p95ResponseMs: 42 };
    const summary = summarizeRun(run({ status: 'Failed', lastMetrics: last, finishedAt: at(7) }));
    expect(summary).toMatchObject({ status: 'Failed', totalRequests: 90, totalFailures: 3, errorRate: 0.0333, p95ResponseMs: 42 });
    expect(resultMetricsOf({ lastMetrics: last })).toBe(last);
  });

  it('gives zeros and no finishedAt for a run that never reported', () => {
    const summary = summarizeRun(run({ status: 'Failed' }));
    expect(summary).toMatchObject({ totalRequests: 0, totalFailures: 0, errorRate: 0, p95ResponseMs: 0 });
    expect(summary).not.toHaveProperty('finishedAt');
    expect(summary).not.toHaveProperty('callbackToken');
  });
});

describe('actualDurationSeconds', () => {
  const now = new Date(T0 + 100_000);

  it('is null for a run that never started', () => {
    expect(actualDurationSeconds({}, now)).toBeNull();
    expect(actualDurationSeconds({ finishedAt: at(5) }, now)).toBeNull();
  });

  it('runs from start to finish for a finished run, whatever the time now', () => {
    expect(actualDurationSeconds({ startedAt: at(2), finishedAt: at(32.5) }, now)).toBe(30.5);
  });

  it('runs from start to now while the run is going', () => {
    expect(actualDurationSeconds({ startedAt: at(40) }, now)).toBe(60);
  });

  it('is never negative when the finish was stamped before the start (clocks of two machines)', () => {
    expect(actualDurationSeconds({ startedAt: at(10), finishedAt: at(9) }, now)).toBe(0);
  });
});

describe('errorRateOf', () => {
  it('is failures over requests, and 0 without requests', () => {
    expect(errorRateOf(200, 5)).toBe(0.025);
    expect(errorRateOf(10, 10)).toBe(1);
    expect(errorRateOf(0, 0)).toBe(0);
  });
});

describe('windowStatsOf', () => {
  // Three pushes 2 s apart; the test started at 0 s. Totals are cumulative, histograms per interval.
  const one = push(1, 2, 100, 2, { '10': 60, '20': 40 });
  const two = push(2, 4, 300, 5, { '10': 100, '50': 100 });
  const three = push(3, 6, 400, 9, { '20': 50, '1000': 50 });

  it('is all zeros for an empty window', () => {
    expect(windowStatsOf([])).toEqual({ requests: 0, failures: 0, errorRate: 0, rps: 0, p50ResponseMs: 0, p95ResponseMs: 0, p99ResponseMs: 0, histogramCount: 0 });
  });

  it('counts from the push before the window and recomputes percentiles from the merged histograms', () => {
    // merged {10:100, 20:50, 50:100, 1000:50}, 300 requests: p50 → 50, p95 and p99 → 1000.
    expect(windowStatsOf([two, three], one)).toEqual({
      requests: 300,
      failures: 7,
      errorRate: 7 / 300,
      rps: 75,
      p50ResponseMs: 50,
      p95ResponseMs: 1000,
      p99ResponseMs: 1000,
      histogramCount: 300,
    });
  });

  it('counts from the test start when given the start as the window start', () => {
    // merged {10:160, 20:90, 50:100, 1000:50}, 400 requests in 6 s: p50 → 20.
    const start = { timestamp: at(0), totalRequests: 0, totalFailures: 0 };
    expect(windowStatsOf([one, two, three], start)).toEqual({
      requests: 400,
      failures: 9,
      errorRate: 9 / 400,
      rps: 400 / 6,
      p50ResponseMs: 20,
      p95ResponseMs: 1000,
      p99ResponseMs: 1000,
      histogramCount: 400,
    });
  });

  it('without a start, counts everything but measures the rate only between the first and last push', () => {
    const stats = windowStatsOf([one, two, three]);
    expect(stats).toMatchObject({ requests: 400, failures: 9, errorRate: 9 / 400, p50ResponseMs: 20, histogramCount: 400 });
    // 300 requests arrived between 2 s and 6 s; the first 100 took an unknown time before 2 s.
    expect(stats.rps).toBe(75);
  });

  it('takes the last push’s own percentiles when no push has a histogram (the replaced system’s plugin)', () => {
    const own = (seq: number, seconds: number, requests: number, p95: number): MetricsSnapshot => ({ ...push(seq, seconds, requests, 0, {}), p50ResponseMs: 10, p95ResponseMs: p95, p99ResponseMs: 80 });
    const stats = windowStatsOf([own(2, 4, 300, 40), own(3, 6, 400, 55)], own(1, 2, 100, 30));
    expect(stats).toMatchObject({ requests: 300, p50ResponseMs: 10, p95ResponseMs: 55, p99ResponseMs: 80, histogramCount: 0 });
    // no requests in the window: nothing to show
    expect(windowStatsOf([own(2, 4, 100, 40)], own(1, 2, 100, 30))).toMatchObject({ requests: 0, p95ResponseMs: 0 });
  });

  it('gives a rate of 0, not Infinity, when the window has no length', () => {
    expect(windowStatsOf([one]).rps).toBe(0);
    expect(windowStatsOf([one], { ...one }).rps).toBe(0);
  });

  it('shows a lost push as fewer histogram counts than requests', () => {
    const stats = windowStatsOf([three], one);
    expect(stats.requests).toBe(300);
    expect(stats.histogramCount).toBe(100);
    expect(stats.rps).toBe(300 / 4);
  });

  it('ignores the percentiles Locust sent with each push', () => {
    const stats = windowStatsOf([one]);
    expect([stats.p50ResponseMs, stats.p95ResponseMs, stats.p99ResponseMs]).toEqual([10, 20, 20]);
  });
});

function endpoint(method: string, name: string, numRequests: number, numFailures: number): EndpointStats {
  return {
    method,
    name,
    numRequests,
    numFailures,
    avgResponseTime: 12.5,
    minResponseTime: 2,
    maxResponseTime: 480,
    medianResponseTime: 11,
    p95ResponseTime: 90,
    p99ResponseTime: 310,
    requestsPerSec: 3.5,
  };
}

describe('summarizeResults', () => {
  const now = new Date(T0 + 100_000);
  const final: MetricsSnapshot = {
    ...push(9, 30, 1000, 30, {}),
    totalRps: 33.3,
    avgResponseMs: 14.2,
    p50ResponseMs: 12,
    p95ResponseMs: 95,
    p99ResponseMs: 320,
    requestStats: {
      'POST /cart': endpoint('POST', '/cart', 200, 20),
      'GET /products': endpoint('GET', '/products', 600, 0),
      'GET /cart': endpoint('GET', '/cart', 200, 10),
    },
    errors: [
      { method: 'GET', name: '/cart', error: 'HTTPError 500', occurrences: 10 },
      { method: 'POST', name: '/cart', error: 'HTTPError 503', occurrences: 20 },
    ],
  };

  it('builds totals and one row per endpoint (by name, then method) from the final push', () => {
    const results = summarizeResults(run({ startedAt: at(0), finishedAt: at(30), finalMetrics: final, lastMetrics: push(8, 28, 1, 0, {}) }), now);
    expect(results).toEqual({
      runId: 'run_1',
      loadTestId: 'lt_1',
      status: 'Finished',
      startedAt: at(0),
      finishedAt: at(30),
      durationSeconds: 30,
      plannedDurationSeconds: 30,
      source: 'final',
      // Rates over the load, 30 s from the start to the final push: 1000 / 30, 200 / 30, 600 / 30.
      totals: { requests: 1000, failures: 30, errorRate: 0.03, rps: 1000 / 30, avgResponseMs: 14.2, p50ResponseMs: 12, p95ResponseMs: 95, p99ResponseMs: 320, exceptions: 0 },
      endpoints: [
        { method: 'GET', name: '/cart', requests: 200, failures: 10, errorRate: 0.05, rps: 200 / 30, avgResponseMs: 12.5, minResponseMs: 2, maxResponseMs: 480, p50ResponseMs: 11, p95ResponseMs: 90, p99ResponseMs: 310 },
        { method: 'POST', name: '/cart', requests: 200, failures: 20, errorRate: 0.1, rps: 200 / 30, avgResponseMs: 12.5, minResponseMs: 2, maxResponseMs: 480, p50ResponseMs: 11, p95ResponseMs: 90, p99ResponseMs: 310 },
        { method: 'GET', name: '/products', requests: 600, failures: 0, errorRate: 0, rps: 600 / 30, avgResponseMs: 12.5, minResponseMs: 2, maxResponseMs: 480, p50ResponseMs: 11, p95ResponseMs: 90, p99ResponseMs: 310 },
      ],
      errors: [
        { method: 'POST', name: '/cart', error: 'HTTPError 503', occurrences: 20 },
        { method: 'GET', name: '/cart', error: 'HTTPError 500', occurrences: 10 },
      ],
      exceptions: [],
    });
  });

  it('uses the last push of a run that ended without a final one, and says so', () => {
    const results = summarizeResults(run({ status: 'Failed', startedAt: at(0), finishedAt: at(7), lastMetrics: final }), now);
    expect(results).toMatchObject({ source: 'last', status: 'Failed', totals: { requests: 1000 } });
    expect(results.endpoints).toHaveLength(3);
  });

  it('counts the duration up to now while the run is going', () => {
    expect(summarizeResults(run({ status: 'Running', startedAt: at(40), lastMetrics: final }), now).durationSeconds).toBe(60);
  });

  it('gives zeros, no rows and a null duration for a run that never started', () => {
    const results = summarizeResults(run({ status: 'Failed' }), now);
    expect(results).toMatchObject({ source: 'none', durationSeconds: null, endpoints: [], errors: [] });
    expect(results.totals).toEqual({ requests: 0, failures: 0, errorRate: 0, rps: 0, avgResponseMs: 0, p50ResponseMs: 0, p95ResponseMs: 0, p99ResponseMs: 0, exceptions: 0 });
    expect(results).not.toHaveProperty('startedAt');
    expect(results).not.toHaveProperty('callbackToken');
  });
});

describe('RPS: requests in the window over the window\'s length', () => {
  // A push as the plugin sends it: stamped at the end of the interval it covers.
  const covering = (seq: number, from: number, to: number, requests: number): MetricsSnapshot => ({ ...push(seq, to, requests, 0, {}), intervalStart: at(from), intervalEnd: at(to) });

  it('rates a window over its pushes\' intervals, whatever their timestamps say', () => {
    const first = covering(1, 0, 2.002, 198);
    // Even with no push before it, the first push's interval says when its requests were made.
    expect(windowStatsOf([first]).rps).toBe(198 / 2.002);
    expect(windowStatsOf([covering(2, 2.002, 4.003, 398)], first).rps).toBe(200 / 2.001);
  });

  it('rates the run as all its requests over the load, test start to the end of the final push, not Locust\'s total_rps', () => {
    // Measured before the fix: 40 requests in an 8.03 s run, Locust's total_rps (first to last request) 9.62.
    const final = { ...covering(5, 6.001, 8.03, 40), totalRps: 9.62 };
    expect(totalsOf(withRunRates(final, at(0))).rps).toBe(40 / 8.03);
    const results = summarizeResults(run({ startedAt: at(0), finishedAt: at(8.03), finalMetrics: final }), new Date(T0 + 60_000));
    expect(results.totals.rps).toBe(40 / 8.03);
  });

  it('rates each endpoint of the run over the load too', () => {
    const final = { ...covering(5, 6.001, 8, 40), requestStats: { 'GET /a': endpoint('GET', '/a', 30, 0), 'GET /b': endpoint('GET', '/b', 10, 0) } };
    const results = summarizeResults(run({ startedAt: at(0), finishedAt: at(8), finalMetrics: final }), new Date(T0 + 60_000));
    expect(results.endpoints.map((row) => [row.name, row.rps])).toEqual([['/a', 30 / 8], ['/b', 10 / 8]]);
  });

  it('keeps the push\'s own rate when the run\'s start is unknown', () => {
    expect(totalsOf(withRunRates({ ...push(1, 2, 10, 0, {}), totalRps: 4.5 }, undefined)).rps).toBe(4.5);
  });
});

describe('peak users', () => {
  it('is the largest peakUsers the plugin sent, the final push included', () => {
    // A run shorter than one interval: test-stop is its only push, sent once the users are gone.
    expect(peakUsersOf([{ ...push(1, 1, 50, 0, {}), currentUsers: 0, peakUsers: 3 }])).toBe(3);
  });

  it('falls back to the users running at each push for pushes stored without peakUsers', () => {
    expect(peakUsersOf([{ ...push(1, 2, 50, 0, {}), currentUsers: 4 }, { ...push(2, 4, 90, 0, {}), currentUsers: 0 }])).toBe(4);
    expect(peakUsersOf([])).toBe(0);
  });
});
