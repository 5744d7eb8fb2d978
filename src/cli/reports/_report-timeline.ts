// The run over time, one point per metrics push: what the HTML charts draw and the JSON
// report lists. Each point's percentiles are those of its own interval (from that push's
// histogram, computed as Locust does), not the cumulative ones Locust reports.
import { windowStatsOf, type WindowStart } from '../../domain/summary.js';
import type { MetricsSnapshot } from '../../domain/types.js';
import type { ReportRun } from './report-input.js';

export interface TimelinePoint {
  timestamp: string;
  /** Seconds since the run started (since the first push when the start is unknown). */
  elapsedSeconds: number;
  users: number;
  /** Requests and failures within the interval that ends at `timestamp`. */
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
  const runStart: WindowStart | undefined = run.startedAt ? { timestamp: run.startedAt, totalRequests: 0, totalFailures: 0 } : undefined;
  return ordered.map((push, index) => {
    // Each push is a window of its own, starting where the previous push (or the run) ended.
    const stats = windowStatsOf([push], ordered[index - 1] ?? runStart);
    return {
      timestamp: push.timestamp,
      elapsedSeconds: Number.isFinite(origin) ? Math.max(0, (Date.parse(push.timestamp) - origin) / 1000) : 0,
      users: push.currentUsers,
      requests: stats.requests,
      failures: stats.failures,
      rps: stats.rps,
      // rps is the interval's requests over its seconds, so this is its failures over them.
      failuresPerSecond: stats.rps * stats.errorRate,
      errorRate: stats.errorRate,
      p50ResponseMs: stats.p50ResponseMs,
      p95ResponseMs: stats.p95ResponseMs,
      p99ResponseMs: stats.p99ResponseMs,
    };
  });
}
