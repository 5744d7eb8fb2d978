import { describe, expect, it } from 'vitest';
import { aggregateWindow, bucketTimeseries, countBuckets, gridSpanMs, runStartOf } from '../../src/domain/timeseries.js';
import type { Histogram, MetricsSnapshot } from '../../src/domain/types.js';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const ms = (seconds: number): number => T0 + seconds * 1000;

function push(seq: number, seconds: number, totalRequests: number, totalFailures: number, users: number, histogram: Histogram): MetricsSnapshot {
  return {
    seq,
    timestamp: at(seconds),
    totalRps: 0,
    totalRequests,
    totalFailures,
    currentUsers: users,
    errorRate: 0,
    avgResponseMs: 0,
    // Locust's running percentiles; every window's are recomputed from the histograms instead.
    p50ResponseMs: 999,
    p95ResponseMs: 999,
    p99ResponseMs: 999,
    requestStats: {},
    errors: [],
    histogram,
  };
}

// The run started at 0 s and pushed every 2 s. Totals are cumulative, histograms per interval.
const start = runStartOf({ startedAt: at(0) });
const p1 = push(1, 2, 100, 2, 5, { '10': 60, '20': 40 });
const p2 = push(2, 4, 300, 5, 10, { '10': 100, '50': 100 });
const p3 = push(3, 6, 400, 9, 10, { '20': 50, '1000': 50 });
const p4 = push(4, 8, 500, 9, 10, { '10': 100 });
const PUSHES = [p1, p2, p3, p4];

// Percentiles worked by hand with Locust's rule (walk from the slowest bucket until at most
// floor(total × p) requests are left), e.g. {10:60, 20:40}: p50 leaves 60 > 50 after 20, so 10.
const POINT_1 = { timestamp: at(2), requests: 100, failures: 2, errorRate: 0.02, rps: 50, users: 5, p50ResponseMs: 10, p95ResponseMs: 20, p99ResponseMs: 20 };
const POINT_2 = { timestamp: at(4), requests: 200, failures: 3, errorRate: 0.015, rps: 100, users: 10, p50ResponseMs: 50, p95ResponseMs: 50, p99ResponseMs: 50 };
const POINT_3 = { timestamp: at(6), requests: 100, failures: 4, errorRate: 0.04, rps: 50, users: 10, p50ResponseMs: 1000, p95ResponseMs: 1000, p99ResponseMs: 1000 };
const POINT_4 = { timestamp: at(8), requests: 100, failures: 0, errorRate: 0, rps: 50, users: 10, p50ResponseMs: 10, p95ResponseMs: 10, p99ResponseMs: 10 };

describe('bucketTimeseries without a step', () => {
  it('gives one point per push, counted from the push before it (the first from the run start)', () => {
    expect(bucketTimeseries(PUSHES, start, {})).toEqual([POINT_1, POINT_2, POINT_3, POINT_4]);
  });

  it('keeps pushes with from < timestamp ≤ to, still counting from the push before the window', () => {
    // p1 sits exactly on `from`: it reports the 2 s before the window, so it is left out.
    expect(bucketTimeseries(PUSHES, start, { fromMs: ms(2), toMs: ms(6) })).toEqual([POINT_2, POINT_3]);
  });

  it('gives no points for a window without pushes, or for a run without any', () => {
    expect(bucketTimeseries(PUSHES, start, { fromMs: ms(8), toMs: ms(20) })).toEqual([]);
    expect(bucketTimeseries([], start, {})).toEqual([]);
  });

  it('counts a lost push in the next point, whose histogram then holds fewer requests', () => {
    const [point] = bucketTimeseries([p1, p3], start, { fromMs: ms(2) });
    expect(point).toMatchObject({ timestamp: at(6), requests: 300, failures: 7, rps: 75, p50ResponseMs: 1000 });
  });

  it('measures the first rate between pushes when the run has no start (rate 0 for a lone push)', () => {
    expect(bucketTimeseries([p1], undefined, {})).toEqual([{ ...POINT_1, rps: 0 }]);
  });
});

describe('bucketTimeseries with a step', () => {
  it('merges the pushes of each step and recomputes its percentiles from their histograms', () => {
    // (0,4]: p1+p2, merged {10:160, 20:40, 50:100}, 300 requests: p50 → 10, p95/p99 → 50.
    // (4,8]: p3+p4, merged {10:100, 20:50, 1000:50}, 200 requests: p50 → 20, p95/p99 → 1000.
    expect(bucketTimeseries(PUSHES, start, { stepSeconds: 4 })).toEqual([
      { timestamp: at(4), requests: 300, failures: 5, errorRate: 5 / 300, rps: 75, users: 10, p50ResponseMs: 10, p95ResponseMs: 50, p99ResponseMs: 50 },
      { timestamp: at(8), requests: 200, failures: 4, errorRate: 0.02, rps: 50, users: 10, p50ResponseMs: 20, p95ResponseMs: 1000, p99ResponseMs: 1000 },
    ]);
  });

  it('stamps each point with the end of its bucket, a push on a bucket end belonging to that bucket', () => {
    // Buckets (0,3], (3,6], (6,9]: p3 at 6 s closes the second one together with p2.
    // (3,6] merged {10:100, 50:100, 20:50, 1000:50}: p50 leaves 150 after 1000 and 50 → 50.
    expect(bucketTimeseries(PUSHES, start, { stepSeconds: 3 })).toEqual([
      { ...POINT_1, timestamp: at(3) },
      { timestamp: at(6), requests: 300, failures: 7, errorRate: 7 / 300, rps: 75, users: 10, p50ResponseMs: 50, p95ResponseMs: 1000, p99ResponseMs: 1000 },
      { ...POINT_4, timestamp: at(9) },
    ]);
  });

  it('starts the buckets at `from` and ends the last one at `to`', () => {
    // Buckets (1,3], (3,5] cut at 4.5 s.
    expect(bucketTimeseries(PUSHES, start, { fromMs: ms(1), toMs: ms(4.5), stepSeconds: 2 })).toEqual([
      { ...POINT_1, timestamp: at(3) },
      { ...POINT_2, timestamp: at(4.5) },
    ]);
  });

  it('leaves out buckets no push fell in instead of drawing zero traffic', () => {
    const points = bucketTimeseries(PUSHES, start, { stepSeconds: 1 });
    expect(points).toEqual([POINT_1, POINT_2, POINT_3, POINT_4]);
  });

  it('puts a push stamped at the run start (its test-start was lost) in the first bucket', () => {
    const startedAtFirstPush = runStartOf({ startedAt: p1.timestamp });
    const [first] = bucketTimeseries(PUSHES, startedAtFirstPush, { stepSeconds: 2 });
    expect(first).toMatchObject({ timestamp: at(4), requests: 300, failures: 5 });
  });

  it('anchors on the first push when the run has no start', () => {
    // Buckets (2,6] (holding p1 too, which sits on the anchor) and (6,10].
    const points = bucketTimeseries(PUSHES, undefined, { stepSeconds: 4 });
    expect(points.map((point) => point.timestamp)).toEqual([at(6), at(10)]);
    expect(points[0]).toMatchObject({ requests: 400, failures: 9 });
  });
});

describe('aggregateWindow', () => {
  it('counts the window from the push before it and recomputes the percentiles', () => {
    // p2+p3: merged {10:100, 50:100, 20:50, 1000:50} → p50 50, p95 and p99 1000.
    expect(aggregateWindow(PUSHES, start, { fromMs: ms(2), toMs: ms(6) })).toEqual({
      requests: 300,
      failures: 7,
      errorRate: 7 / 300,
      rps: 75,
      p50ResponseMs: 50,
      p95ResponseMs: 1000,
      p99ResponseMs: 1000,
      histogramCount: 300,
      pushes: 2,
    });
  });

  it('covers the whole run from its start when no bounds are given', () => {
    // merged {10:260, 20:90, 50:100, 1000:50}, 500 requests in 8 s: 260 > 250 are left after 20 → p50 10.
    expect(aggregateWindow(PUSHES, start, {})).toEqual({
      requests: 500,
      failures: 9,
      errorRate: 9 / 500,
      rps: 62.5,
      p50ResponseMs: 10,
      p95ResponseMs: 1000,
      p99ResponseMs: 1000,
      histogramCount: 500,
      pushes: 4,
    });
  });

  it('is all zeros for a window without pushes', () => {
    expect(aggregateWindow(PUSHES, start, { fromMs: ms(9) })).toEqual({
      requests: 0,
      failures: 0,
      errorRate: 0,
      rps: 0,
      p50ResponseMs: 0,
      p95ResponseMs: 0,
      p99ResponseMs: 0,
      histogramCount: 0,
      pushes: 0,
    });
  });
});

describe('gridSpanMs', () => {
  it('spans from the run start to the last push when the window is open', () => {
    expect(gridSpanMs(PUSHES, start, {})).toBe(8000);
    expect(gridSpanMs(PUSHES, undefined, {})).toBe(6000);
  });

  it('is the distance between the bounds when both are given, pushes or not', () => {
    expect(gridSpanMs(PUSHES, start, { fromMs: ms(1), toMs: ms(100) })).toBe(99_000);
    expect(gridSpanMs([], undefined, { fromMs: ms(1), toMs: ms(100) })).toBe(99_000);
  });

  it('is 0 when nothing marks an end', () => {
    expect(gridSpanMs([], start, {})).toBe(0);
    expect(gridSpanMs(PUSHES, start, { fromMs: ms(50) })).toBe(0);
  });
});

describe('countBuckets and runStartOf', () => {
  it('counts a partial last bucket, and at least one', () => {
    expect(countBuckets(10_000, 3)).toBe(4);
    expect(countBuckets(9_000, 3)).toBe(3);
    expect(countBuckets(0, 1)).toBe(1);
  });

  it('starts counting at the run start with nothing counted, or not at all for a run that never started', () => {
    expect(runStartOf({ startedAt: at(0) })).toEqual({ timestamp: at(0), totalRequests: 0, totalFailures: 0 });
    expect(runStartOf({})).toBeUndefined();
  });
});
