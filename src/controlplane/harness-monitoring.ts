// The monitoring answers of the replaced system's API (its run-vm-test-plugin.sh and
// dashboard read them), computed from what loadctl stores: the run and its pushes. Its
// units are kept: error rates in percent, graph response times in seconds, graph and
// request-log timestamps in epoch milliseconds.
import { errorRateOf, resultMetricsOf, summarizeResults } from '../domain/summary.js';
import { intervalEndMs } from '../domain/intervals.js';
import { bucketTimeseries, runStartOf, type TimeWindow, type TimeseriesPoint } from '../domain/timeseries.js';
import type { MetricsSnapshot, Run } from '../domain/types.js';

const percent = (fraction: number): number => fraction * 100;

/** A span as Go's time.Duration rounded to the second prints it ("1m5s"), as its API answered. */
export function goDuration(seconds: number): string {
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}

function durationOf(run: Pick<Run, 'startedAt' | 'finishedAt'>, now: Date): string {
  if (!run.startedAt) return 'Running...';
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
  return goDuration(Math.max(0, end - Date.parse(run.startedAt)) / 1000);
}

const isoOrEmpty = (value: string | undefined): string => (value ? new Date(value).toISOString() : '');

/** /v1/visualization/runs/{id}/summary: the four dashboard cards, and under `summary` what run-vm-test-plugin.sh prints. */
export function runSummaryView(run: Run, now: Date) {
  const results = summarizeResults(run, now);
  const totals = results.totals;
  return {
    runId: run.id,
    runName: run.name ?? '',
    status: run.status,
    startedAt: isoOrEmpty(run.startedAt),
    finishedAt: isoOrEmpty(run.finishedAt),
    duration: durationOf(run, now),
    totalRequests: totals.requests,
    requestsPerSec: totals.rps,
    errorRate: percent(totals.errorRate),
    avgResponseTime: totals.avgResponseMs / 1000,
    targetUsers: run.targetUsers,
    spawnRate: run.spawnRate,
    durationSeconds: run.durationSeconds,
    summary: {
      totalRequests: totals.requests,
      totalFailures: totals.failures,
      requestsPerSecond: totals.rps,
      errorRate: percent(totals.errorRate),
      avgResponseTime: totals.avgResponseMs,
      p50ResponseTime: totals.p50ResponseMs,
      p95ResponseTime: totals.p95ResponseMs,
      p99ResponseTime: totals.p99ResponseMs,
    },
  };
}

function pointsOf(run: Run, pushes: readonly MetricsSnapshot[], window: TimeWindow): TimeseriesPoint[] {
  return bucketTimeseries(pushes, runStartOf(run), window);
}

/** /v1/runs/{id}/graph: users, RPS, errors per second and response time (seconds, the window's p50 as the replaced system gave) per push. */
export function runGraphView(run: Run, pushes: readonly MetricsSnapshot[], window: TimeWindow) {
  return {
    runId: run.id,
    runName: run.name ?? '',
    status: run.status,
    startedAt: isoOrEmpty(run.startedAt),
    dataPoints: pointsOf(run, pushes, window).map((point) => ({
      timestamp: Date.parse(point.timestamp),
      users: point.users,
      requestsPerSec: point.rps,
      errorsPerSec: point.rps * point.errorRate,
      avgResponseTime: point.p50ResponseMs / 1000,
    })),
  };
}

/** /v1/visualization/runs/{id}/timeline: the timeseries chart with its aggregate. */
export function runTimelineView(run: Run, pushes: readonly MetricsSnapshot[], window: TimeWindow, now: Date) {
  const points = pointsOf(run, pushes, window);
  const result = resultMetricsOf(run);
  const mean = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);
  const rps = points.map((point) => point.rps);
  const requests = result?.totalRequests ?? 0;
  const failures = result?.totalFailures ?? 0;
  return {
    testRunId: run.id,
    dataPoints: points.map((point) => ({
      timestamp: point.timestamp,
      totalRps: point.rps,
      currentUsers: point.users,
      p50ResponseMs: point.p50ResponseMs,
      p95ResponseMs: point.p95ResponseMs,
      p99ResponseMs: point.p99ResponseMs,
      errorRate: percent(point.errorRate),
    })),
    summary: {
      avgRps: mean(rps),
      maxRps: rps.length === 0 ? 0 : Math.max(...rps),
      minRps: rps.length === 0 ? 0 : Math.min(...rps),
      avgP50Latency: mean(points.map((point) => point.p50ResponseMs)),
      avgP95Latency: mean(points.map((point) => point.p95ResponseMs)),
      avgP99Latency: mean(points.map((point) => point.p99ResponseMs)),
      maxP95Latency: Math.max(0, ...points.map((point) => point.p95ResponseMs)),
      totalRequests: requests,
      totalFailures: failures,
      overallErrorRate: percent(errorRateOf(requests, failures)),
      dataPoints: pushes.length,
      duration: durationOf(run, now),
    },
  };
}

/** One endpoint over one push's interval: its requests, failures and mean response time there. */
export interface EndpointInterval {
  timestampMs: number;
  method: string;
  name: string;
  requests: number;
  failures: number;
  avgResponseMs: number;
}

/**
 * Each endpoint's share of each push's interval, from differences of its cumulative numbers
 * (the mean too: avg × count is the cumulative sum). Endpoints without a request there are left out.
 */
export function endpointIntervalsOf(pushes: readonly MetricsSnapshot[]): EndpointInterval[] {
  const intervals: EndpointInterval[] = [];
  let previous: MetricsSnapshot['requestStats'] = {};
  for (const push of pushes) {
    for (const [key, stats] of Object.entries(push.requestStats)) {
      const before = previous[key];
      const requests = stats.numRequests - (before?.numRequests ?? 0);
      if (requests <= 0) continue;
      const sum = stats.avgResponseTime * stats.numRequests - (before ? before.avgResponseTime * before.numRequests : 0);
      intervals.push({
        timestampMs: intervalEndMs(push),
        method: stats.method,
        name: stats.name,
        requests,
        failures: Math.max(0, stats.numFailures - (before?.numFailures ?? 0)),
        avgResponseMs: Math.max(0, sum / requests),
      });
    }
    previous = push.requestStats;
  }
  return intervals;
}

function inWindow(timestampMs: number, window: TimeWindow): boolean {
  return (window.fromMs === undefined || timestampMs > window.fromMs) && (window.toMs === undefined || timestampMs <= window.toMs);
}

/** /v1/runs/{id}/requests: the newest endpoint intervals first, as log lines (not single requests: Locust keeps none). */
export function requestLogView(run: Run, pushes: readonly MetricsSnapshot[], window: TimeWindow, limit: number) {
  const requests = endpointIntervalsOf(pushes)
    .filter((entry) => inWindow(entry.timestampMs, window))
    .reverse()
    .slice(0, limit)
    .map((entry) => ({ timestamp: entry.timestampMs, requestType: entry.method, responseTime: entry.avgResponseMs, url: entry.name, responseLength: 0, success: entry.failures === 0 }));
  return { runId: run.id, requests, total: requests.length, limit };
}

/** /v1/runs/{id}/metrics/scatter: each endpoint's mean response time per interval. */
export function scatterView(run: Run, pushes: readonly MetricsSnapshot[], window: TimeWindow) {
  const entries = endpointIntervalsOf(pushes).filter((entry) => inWindow(entry.timestampMs, window));
  return {
    testRunId: run.id,
    dataPoints: entries.map((entry) => ({ timestamp: new Date(entry.timestampMs).toISOString(), endpoint: entry.name, method: entry.method, responseTimeMs: entry.avgResponseMs, success: entry.failures === 0 })),
    endpoints: [...new Set(entries.map((entry) => `${entry.method} ${entry.name}`))],
  };
}
