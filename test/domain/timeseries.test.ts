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

  it('puts each push in the bucket that holds the middle of its interval, stamped with the bucket end', () => {
    // Buckets (0,3], (3,6], (6,9]: p1 (0,2] and p2 (2,4] (middle 3 s) in the first, p3 (4,6] in
    // the second, p4 (6,8] in the third, whose end is cut at 8 s, where the last push ends.
    // (0,3] merged {10:160, 20:40, 50:100}: p50 → 10, p95/p99 → 50.
    expect(bucketTimeseries(PUSHES, start, { stepSeconds: 3 })).toEqual([
      { timestamp: at(3), requests: 300, failures: 5, errorRate: 5 / 300, rps: 75, users: 10, p50ResponseMs: 10, p95ResponseMs: 50, p99ResponseMs: 50 },
      { ...POINT_3, timestamp: at(6) },
      { ...POINT_4, timestamp: at(8) },
    ]);
  });

  it('starts the buckets at `from` and ends the last one at `to`', () => {
    // Buckets (0.5,2.5], (2.5,4.5] cut at 4 s: p1 (middle 1 s) in the first, p2 (middle 3 s) in the second.
    expect(bucketTimeseries(PUSHES, start, { fromMs: ms(0.5), toMs: ms(4), stepSeconds: 2 })).toEqual([
      { ...POINT_1, timestamp: at(2.5) },
      { ...POINT_2, timestamp: at(4) },
    ]);
  });

  it('leaves out buckets no push fell in instead of drawing zero traffic', () => {
    // 1 s buckets: each push lands in the one holding its middle, (0,1], (2,3], (4,5], (6,7].
    const points = bucketTimeseries(PUSHES, start, { stepSeconds: 1 });
    expect(points).toEqual([{ ...POINT_1, timestamp: at(1) }, { ...POINT_2, timestamp: at(3) }, { ...POINT_3, timestamp: at(5) }, { ...POINT_4, timestamp: at(7) }]);
  });

  it('puts a push stamped at the run start (its test-start was lost) in the first bucket', () => {
    const startedAtFirstPush = runStartOf({ startedAt: p1.timestamp });
    const [first] = bucketTimeseries(PUSHES, startedAtFirstPush, { stepSeconds: 2 });
    expect(first).toMatchObject({ timestamp: at(4), requests: 300, failures: 5 });
  });

  it('anchors on the first push when the run has no start', () => {
    // p1's start is unknown: it counts at its end, the anchor. Buckets (2,6] (holding p1, on the
    // anchor, p2 at 3 s and p3 at 5 s) and (6,10] (p4 at 7 s), cut at 8 s where the last push ends.
    const points = bucketTimeseries(PUSHES, undefined, { stepSeconds: 4 });
    expect(points.map((point) => point.timestamp)).toEqual([at(6), at(8)]);
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

// As the plugin sends them: each push stamped a few ms after its tick, with the interval it
// covers; consecutive intervals tile from the test start; the final push (test-stop) covers
// only the 34 ms of stopping. 3 users, about 100 requests per second.
function covering(seq: number, fromSeconds: number, toSeconds: number, totalRequests: number, users: number, histogram: Histogram): MetricsSnapshot {
  return { ...push(seq, toSeconds, totalRequests, 0, users, histogram), intervalStart: at(fromSeconds), intervalEnd: at(toSeconds), peakUsers: 3 };
}
const w1 = covering(1, 0, 2.002, 198, 3, { '10': 198 });
const w2 = covering(2, 2.002, 4.003, 398, 3, { '10': 200 });
const w3 = covering(3, 4.003, 6.001, 596, 3, { '20': 198 });
const sliver = covering(4, 6.001, 6.035, 599, 0, { '20': 3 });
const RUN = [w1, w2, w3, sliver];

describe('windows by interval (pushes that say what they cover)', () => {
  it('counts a push in the window holding the middle of its interval, not after its late timestamp', () => {
    // w1 is stamped 2.002 s but covers (0, 2.002]: its 198 requests belong to 0–2 s.
    expect(aggregateWindow(RUN, start, { fromMs: ms(0), toMs: ms(2) })).toMatchObject({ requests: 198, pushes: 1 });
    expect(aggregateWindow(RUN, start, { fromMs: ms(2), toMs: ms(4) })).toMatchObject({ requests: 200, pushes: 1 });
    expect(aggregateWindow(RUN, start, { fromMs: ms(0), toMs: ms(4) })).toMatchObject({ requests: 398, pushes: 2 });
  });

  it('rates a window as its requests over the length of its intervals, the first push included', () => {
    const [first] = bucketTimeseries(RUN, start, {});
    expect(first).toMatchObject({ timestamp: at(2.002), requests: 198, rps: 198 / 2.002 });
  });

  it('merges the stop sliver into the last interval: no point of its own, none after the end', () => {
    const points = bucketTimeseries(RUN, start, {});
    expect(points.map((point) => point.timestamp)).toEqual([at(2.002), at(4.003), at(6.035)]);
    // (4.003, 6.035]: 201 requests in 2.032 s, shown with the users that made them, not the 0 left at the stop.
    expect(points[2]).toMatchObject({ requests: 201, rps: 201 / 2.032, users: 3, p50ResponseMs: 20 });
  });

  it('puts one push in each 2 s bucket and stamps none after the last push ends', () => {
    const points = bucketTimeseries(RUN, start, { stepSeconds: 2 });
    expect(points.map((point) => [point.timestamp, point.requests])).toEqual([
      [at(2), 198],
      [at(4), 200],
      [at(6), 201],
    ]);
    const coarse = bucketTimeseries(RUN, start, { stepSeconds: 4 });
    expect(coarse.map((point) => [point.timestamp, point.requests])).toEqual([
      [at(4), 398],
      [at(6.035), 201],
    ]);
  });

  it('rates the whole run as all requests over the load, start to the end of the final push', () => {
    expect(aggregateWindow(RUN, start, {})).toMatchObject({ requests: 599, rps: 599 / 6.035, pushes: 4 });
  });

  it('keeps a real last interval as a point of its own: only a sliver is merged', () => {
    // Stopped on request 1.5 s into an interval: (6.001, 7.5] is three quarters of one.
    const stopped = { ...sliver, timestamp: at(7.5), intervalEnd: at(7.5), totalRequests: 746 };
    const points = bucketTimeseries([w1, w2, w3, stopped], start, {});
    expect(points.map((point) => point.timestamp)).toEqual([at(2.002), at(4.003), at(6.001), at(7.5)]);
    expect(points[3]).toMatchObject({ requests: 150, rps: 150 / 1.499 });
  });

  it('counts a push that overlaps the one before (its acknowledgement was lost) from where that one ended', () => {
    const overlapping = { ...w2, intervalStart: at(0) };
    expect(bucketTimeseries([w1, overlapping], start, {})[1]).toMatchObject({ requests: 200, rps: 200 / 2.001 });
  });

  it('reads old pushes without intervals as (previous timestamp, timestamp]', () => {
    const old = RUN.map(({ intervalStart: _s, intervalEnd: _e, peakUsers: _p, ...rest }) => rest);
    expect(bucketTimeseries(old, start, {})).toEqual(bucketTimeseries(RUN, start, {}));
  });
});
