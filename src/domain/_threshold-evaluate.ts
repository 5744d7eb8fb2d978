// Measures a threshold's metric in one snapshot and judges it. Totals come from the
// snapshot's own fields (Locust's numbers), an endpoint's from its requestStats entry.
import { errorRateOf } from './summary.js';
import type { Threshold, ThresholdMetric, ThresholdOperator, ThresholdVerdict } from './_threshold-types.js';
import type { EndpointStats, MetricsSnapshot } from './types.js';

export const NO_DATA = 'no data';

/** The metric's value, or null when nothing was measured (no requests, endpoint never requested). */
export function observe(threshold: Pick<Threshold, 'metric' | 'endpoint'>, snapshot: MetricsSnapshot | undefined): number | null {
  if (!snapshot) return null;
  if (threshold.endpoint === undefined) return observeTotal(threshold.metric, snapshot);
  const stats = endpointStatsOf(snapshot, threshold.endpoint);
  return stats ? observeEndpoint(threshold.metric, stats) : null;
}

export function judge(threshold: Threshold, observed: number | null): ThresholdVerdict {
  return {
    threshold: threshold.text,
    metric: threshold.metric,
    ...(threshold.endpoint === undefined ? {} : { endpoint: threshold.endpoint }),
    operator: threshold.operator,
    limit: threshold.limit,
    observed,
    passed: observed !== null && holds(observed, threshold.operator, threshold.limit),
    ...(observed === null ? { reason: NO_DATA } : {}),
  };
}

export function holds(observed: number, operator: ThresholdOperator, limit: number): boolean {
  switch (operator) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
      // Rates and averages arrive as floats; a difference in the last bits is still equal.
      return Math.abs(observed - limit) <= 1e-9 * Math.max(1, Math.abs(limit));
  }
}

function observeTotal(metric: ThresholdMetric, snapshot: MetricsSnapshot): number | null {
  // A run that sent nothing has no latency, rate or count worth passing on.
  if (snapshot.totalRequests === 0) return null;
  switch (metric) {
    case 'p50':
      return snapshot.p50ResponseMs;
    case 'p95':
      return snapshot.p95ResponseMs;
    case 'p99':
      return snapshot.p99ResponseMs;
    case 'avg':
      return snapshot.avgResponseMs;
    case 'max': {
      // The snapshot has no overall maximum; the largest endpoint maximum is that number.
      const maxima = Object.values(snapshot.requestStats).map((stats) => stats.maxResponseTime);
      return maxima.length > 0 ? Math.max(...maxima) : null;
    }
    case 'error_rate':
      return errorRateOf(snapshot.totalRequests, snapshot.totalFailures);
    case 'failures':
      return snapshot.totalFailures;
    case 'requests':
      return snapshot.totalRequests;
    case 'rps':
      return snapshot.totalRps;
  }
}

function observeEndpoint(metric: ThresholdMetric, stats: EndpointStats): number | null {
  if (stats.numRequests === 0) return null;
  const values: Record<ThresholdMetric, number> = {
    p50: stats.medianResponseTime,
    p95: stats.p95ResponseTime,
    p99: stats.p99ResponseTime,
    avg: stats.avgResponseTime,
    max: stats.maxResponseTime,
    error_rate: errorRateOf(stats.numRequests, stats.numFailures),
    failures: stats.numFailures,
    requests: stats.numRequests,
    rps: stats.requestsPerSec,
  };
  return values[metric];
}

/** The endpoint's entry; "get /x" finds "GET /x", since people type methods in either case. */
function endpointStatsOf(snapshot: MetricsSnapshot, endpoint: string): EndpointStats | undefined {
  const exact = snapshot.requestStats[endpoint];
  if (exact) return exact;
  const [method = '', ...name] = endpoint.split(' ');
  const wanted = `${method.toUpperCase()} ${name.join(' ')}`;
  return Object.entries(snapshot.requestStats).find(([key]) => {
    const [keyMethod = '', ...keyName] = key.split(' ');
    return `${keyMethod.toUpperCase()} ${keyName.join(' ')}` === wanted;
  })?.[1];
}
