// Rows of the JSON report, built field by field from the domain's shapes.
import { errorRateOf } from '../../domain/summary.js';
import { describeVerdict, type ThresholdVerdict } from '../../domain/thresholds.js';
import type { EndpointStats } from '../../domain/types.js';
import type { EndpointRow, JsonReport } from './json-report.js';

// Field by field, so whatever else a stored verdict carries never leaks into the report.
export function thresholdEntry(verdict: ThresholdVerdict): JsonReport['thresholds'][number] {
  const { threshold, metric, endpoint, operator, limit, observed, passed, reason } = verdict;
  return {
    threshold,
    metric,
    ...(endpoint === undefined ? {} : { endpoint }),
    operator,
    limit,
    observed,
    passed,
    ...(reason === undefined ? {} : { reason }),
    message: describeVerdict(verdict),
  };
}

export function endpointRow(stats: EndpointStats): EndpointRow {
  return {
    endpoint: `${stats.method} ${stats.name}`,
    method: stats.method,
    name: stats.name,
    requests: stats.numRequests,
    failures: stats.numFailures,
    errorRate: errorRateOf(stats.numRequests, stats.numFailures),
    rps: stats.requestsPerSec,
    avgResponseMs: stats.avgResponseTime,
    minResponseMs: stats.minResponseTime,
    maxResponseMs: stats.maxResponseTime,
    p50ResponseMs: stats.medianResponseTime,
    p95ResponseMs: stats.p95ResponseTime,
    p99ResponseMs: stats.p99ResponseTime,
  };
}

// Code-point order, like the terminal tables: the same on every machine.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
