// The run over time, one point per metrics push: what the HTML charts draw and the JSON
// report lists. Each point's percentiles are those of its own interval (from that push's
// histogram, computed as Locust does), not the cumulative ones Locust reports. The points
// are the API's timeseries without a step, so the stop sliver is merged the same way.
import { bucketTimeseries, runStartOf } from '../../domain/timeseries.js';
import type { MetricsSnapshot } from '../../domain/types.js';
import type { ReportRun } from './report-input.js';

export interface TimelinePoint {
  timestamp: string;
  /** Seconds since the run started (since the first push when the start is unknown). */
  elapsedSeconds: number;
  users: number;
  /** The users planned then (a load shape's target, else the run's); null for pushes of older versions. */
  plannedUsers: number | null;
  /** Requests and failures within the interval that ends at `timestamp` (the last one with the stop sliver). */
  requests: number;
  failures: number;
  rps: number;
  failuresPerSecond: number;
  errorRate: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
}

export function sortedPushes(pushes: readonly MetricsSnapshot[]): MetricsSnapshot[] {
  return [...pushes].sort((a, b) => a.seq - b.seq);
}

export function timelineOf(run: Pick<ReportRun, 'startedAt'>, pushes: readonly MetricsSnapshot[]): TimelinePoint[] {
  const ordered = sortedPushes(pushes);
  const origin = Date.parse(run.startedAt ?? ordered[0]?.timestamp ?? '');
  return bucketTimeseries(ordered, runStartOf(run), {}).map((point) => ({
    timestamp: point.timestamp,
    elapsedSeconds: Number.isFinite(origin) ? Math.max(0, (Date.parse(point.timestamp) - origin) / 1000) : 0,
    users: point.users,
    plannedUsers: point.plannedUsers ?? null,
    requests: point.requests,
    failures: point.failures,
    rps: point.rps,
    // rps is the interval's requests over its seconds, so this is its failures over them.
    failuresPerSecond: point.rps * point.errorRate,
    errorRate: point.errorRate,
    p50ResponseMs: point.p50ResponseMs,
    p95ResponseMs: point.p95ResponseMs,
    p99ResponseMs: point.p99ResponseMs,
  }));
}
