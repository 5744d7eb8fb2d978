// The timeseries computation as it stood before per-push summaries (main at 8285160:
// src/domain/timeseries.ts bucketTimeseries with summary.ts windowStatsOf and histogram.ts),
// kept verbatim as the oracle the summary path must equal number for number. Not used by src/.
import { intervalEndMs, intervalStartMs } from '../../src/domain/intervals.js';
import { totalPercentilesOf } from '../../src/domain/metric-definitions.js';
import { errorRateOf, type WindowStart, type WindowStats } from '../../src/domain/summary.js';
import type { TimeWindow, TimeseriesPoint } from '../../src/domain/timeseries.js';
import type { Histogram, MetricsSnapshot } from '../../src/domain/types.js';

interface Span {
  first: number;
  last: number;
  startMs: number | undefined;
  endMs: number;
  /** The push whose user count the span shows. */
  usersAt: number;
}

export function referenceTimeseries(
  pushes: readonly MetricsSnapshot[],
  runStart: WindowStart | undefined,
  options: TimeWindow & { stepSeconds?: number },
): TimeseriesPoint[] {
  const spans = spansOf(pushes, runStart);
  const inside = spansInside(spans, options);
  if (inside.length === 0) return [];
  const endOf = bucketEnds(runStart, inside, spans.at(-1)!.endMs, options);
  const points: TimeseriesPoint[] = [];
  let group: Span[] = [];
  const flush = (): void => {
    const first = group[0];
    const last = group.at(-1);
    if (first === undefined || last === undefined) return;
    const stats = windowStatsOf(pushes.slice(first.first, last.last + 1), pushes[first.first - 1] ?? runStart);
    points.push({
      timestamp: new Date(endOf(first)).toISOString(),
      requests: stats.requests,
      failures: stats.failures,
      errorRate: stats.errorRate,
      rps: stats.rps,
      users: pushes[last.usersAt]!.currentUsers,
      ...plannedOf(pushes[last.usersAt]!),
      p50ResponseMs: stats.p50ResponseMs,
      p95ResponseMs: stats.p95ResponseMs,
      p99ResponseMs: stats.p99ResponseMs,
    });
    group = [];
  };
  for (const span of inside) {
    if (group.length > 0 && endOf(group[0]!) !== endOf(span)) flush();
    group.push(span);
  }
  flush();
  return points;
}

function plannedOf(push: MetricsSnapshot): { plannedUsers?: number } {
  return push.targetUsers === undefined ? {} : { plannedUsers: push.targetUsers };
}

/**
 * The pushes' intervals. The final push covers little more than the moments of stopping (a
 * few ms): alone, its handful of requests would draw a rate of 0 or a spike, so it joins
 * the interval before it when it is shorter than half of that one.
 */
function spansOf(pushes: readonly MetricsSnapshot[], runStart: WindowStart | undefined): Span[] {
  const spans: Span[] = pushes.map((push, index) => ({
    first: index,
    last: index,
    startMs: intervalStartMs(push, pushes[index - 1] ?? runStart),
    endMs: intervalEndMs(push),
    usersAt: index,
  }));
  const [before, final] = spans.slice(-2);
  if (before && final && lengthOf(final) < lengthOf(before) / 2) spans.splice(-2, 2, { ...before, last: final.last, endMs: final.endMs });
  return spans;
}

function lengthOf(span: Span): number {
  return span.endMs - (span.startMs ?? span.endMs);
}

/** Where a span counts: the middle of its interval (its end when its start is unknown). */
function middleOf(span: Span): number {
  return span.startMs === undefined ? span.endMs : (span.startMs + span.endMs) / 2;
}

function spansInside(spans: readonly Span[], window: TimeWindow): Span[] {
  return spans.filter((span) => {
    const middle = middleOf(span);
    return (window.fromMs === undefined || middle > window.fromMs) && (window.toMs === undefined || middle <= window.toMs);
  });
}

/** Which bucket end each span falls under; no end lies after `runEndMs`, the end of the last push. */
function bucketEnds(
  runStart: WindowStart | undefined,
  inside: readonly Span[],
  runEndMs: number,
  options: TimeWindow & { stepSeconds?: number },
): (span: Span) => number {
  if (options.stepSeconds === undefined) return (span) => span.endMs;
  const stepMs = options.stepSeconds * 1000;
  const anchor = gridAnchorMs(runStart, options, inside)!;
  return (span) => {
    // Buckets are (start, end], like a push's own interval; a span whose middle is at or
    // before the anchor (only possible without `from`) joins the first.
    const bucket = Math.max(0, Math.ceil((middleOf(span) - anchor) / stepMs) - 1);
    return Math.min(anchor + (bucket + 1) * stepMs, options.toMs ?? Number.POSITIVE_INFINITY, runEndMs);
  };
}

/** Where the buckets start: `from`, else the run's start, else the start (or end) of the first push inside. */
function gridAnchorMs(runStart: WindowStart | undefined, window: TimeWindow, inside: readonly Span[]): number | undefined {
  if (window.fromMs !== undefined) return window.fromMs;
  if (runStart) return Date.parse(runStart.timestamp);
  const first = inside[0];
  return first === undefined ? undefined : (first.startMs ?? first.endMs);
}

function windowStatsOf(pushes: readonly MetricsSnapshot[], before?: WindowStart): WindowStats {
  const last = pushes[pushes.length - 1];
  if (!last) {
    return { requests: 0, failures: 0, errorRate: 0, rps: 0, p50ResponseMs: 0, p95ResponseMs: 0, p99ResponseMs: 0, histogramCount: 0 };
  }
  const requests = last.totalRequests - (before?.totalRequests ?? 0);
  const failures = last.totalFailures - (before?.totalFailures ?? 0);
  const histogram = mergeHistograms(pushes.map((push) => push.histogram));
  const histogramCount = countOf(histogram);
  // A plugin that sends no histograms (the replaced system's): its own percentiles, of the
  // whole test up to the window's last push, are all there is (docs/METRICS.md).
  const own = histogramCount === 0 && requests > 0 ? totalPercentilesOf(last) : undefined;
  return {
    requests,
    failures,
    errorRate: errorRateOf(requests, failures),
    rps: rateOf(pushes, before),
    p50ResponseMs: own?.p50 ?? percentileOf(histogram, 0.5),
    p95ResponseMs: own?.p95 ?? percentileOf(histogram, 0.95),
    p99ResponseMs: own?.p99 ?? percentileOf(histogram, 0.99),
    histogramCount,
  };
}

function rateOf(pushes: readonly MetricsSnapshot[], before: WindowStart | undefined): number {
  const first = pushes[0]!;
  const last = pushes[pushes.length - 1]!;
  const startMs = intervalStartMs(first, before);
  // An old first push without a known start: its requests took an unknown time, so the rate
  // is measured from its end to the last push's.
  const [fromMs, fromRequests] = startMs === undefined ? [intervalEndMs(first), first.totalRequests] : [startMs, before?.totalRequests ?? 0];
  const seconds = (intervalEndMs(last) - fromMs) / 1000;
  return seconds > 0 ? (last.totalRequests - fromRequests) / seconds : 0;
}

function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged: Histogram = {};
  for (const histogram of histograms) {
    for (const [bucket, count] of Object.entries(histogram)) {
      merged[bucket] = (merged[bucket] ?? 0) + count;
    }
  }
  return merged;
}

function countOf(histogram: Histogram): number {
  return Object.values(histogram).reduce((sum, count) => sum + count, 0);
}

/**
 * The response time at `percent` (0..1), computed exactly as Locust's
 * `calculate_response_time_percentile` does from its bucketed `response_times`, so a
 * recomputed percentile equals the one Locust reports. Returns 0 for an empty histogram.
 */
function percentileOf(histogram: Histogram, percent: number): number {
  const total = countOf(histogram);
  const requestsWithin = Math.floor(total * percent);
  const slowestFirst = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => b - a);
  let processed = 0;
  for (const bucket of slowestFirst) {
    processed += histogram[String(bucket)] ?? 0;
    if (total - processed <= requestsWithin) return bucket;
  }
  return 0;
}
