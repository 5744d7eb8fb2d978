// One definition per number (docs/METRICS.md), used by the summary, the thresholds, the
// comparisons and the reports alike, so no two places can disagree about a run.
import type { EndpointStats, MetricsSnapshot } from './types.js';

/** Whether the push reports task exceptions at all; the replaced system's plugin never does. */
export function exceptionsMeasured(snapshot: Pick<MetricsSnapshot, 'totalExceptions' | 'exceptions'>): boolean {
  return snapshot.totalExceptions !== undefined || snapshot.exceptions !== undefined;
}

/** Task exceptions of the run; 0 for a plugin that does not report them (see exceptionsMeasured). */
export function exceptionsOf(snapshot: Pick<MetricsSnapshot, 'totalExceptions' | 'exceptions'>): number {
  return snapshot.totalExceptions ?? (snapshot.exceptions ?? []).reduce((sum, entry) => sum + entry.count, 0);
}

/** The slowest request: the snapshot's own maximum, else (older pushes) the largest endpoint maximum. */
export function maxResponseOf(snapshot: Pick<MetricsSnapshot, 'maxResponseMs' | 'requestStats'>): number | null {
  if (snapshot.maxResponseMs !== undefined) return snapshot.maxResponseMs;
  const maxima = Object.values(snapshot.requestStats).map((stats) => stats.maxResponseTime);
  return maxima.length > 0 ? Math.max(...maxima) : null;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * An endpoint's percentiles as docs/METRICS.md defines them: Locust's histogram percentile
 * (get_response_time_percentile), never above the endpoint's exact max (a bucket is rounded
 * to two significant digits, so 23.7 ms sits in bucket 24). Pushes stored before
 * p50ResponseTime existed fall back to Locust's Median column for p50.
 */
export function endpointPercentilesOf(stats: Pick<EndpointStats, 'p50ResponseTime' | 'medianResponseTime' | 'p95ResponseTime' | 'p99ResponseTime' | 'maxResponseTime'>): Percentiles {
  const max = stats.maxResponseTime;
  return {
    p50: Math.min(stats.p50ResponseTime ?? stats.medianResponseTime, max),
    p95: Math.min(stats.p95ResponseTime, max),
    p99: Math.min(stats.p99ResponseTime, max),
  };
}

/** The run's percentiles, the same way, capped by its max where the push carries one. */
export function totalPercentilesOf(snapshot: Pick<MetricsSnapshot, 'p50ResponseMs' | 'p95ResponseMs' | 'p99ResponseMs' | 'maxResponseMs'>): Percentiles {
  const max = snapshot.maxResponseMs ?? Number.POSITIVE_INFINITY;
  return { p50: Math.min(snapshot.p50ResponseMs, max), p95: Math.min(snapshot.p95ResponseMs, max), p99: Math.min(snapshot.p99ResponseMs, max) };
}
