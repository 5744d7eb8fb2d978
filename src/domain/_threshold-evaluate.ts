// Measures a threshold's metric in one snapshot and judges it. Totals come from the
// snapshot's own fields (Locust's numbers), an endpoint's from its requestStats entry.
import { errorRateOf } from './summary.js';
import { endpointPercentilesOf, exceptionsMeasured, exceptionsOf, maxResponseOf, totalPercentilesOf } from './metric-definitions.js';
import type { Threshold, ThresholdMetric, ThresholdOperator, ThresholdVerdict } from './_threshold-types.js';
import type { EndpointStats, LocustPlugin, MetricsSnapshot } from './types.js';

export const NO_DATA = 'no data';
/** The run's plugin does not measure the metric at all (exceptions, from the replaced system's plugin). */
export const NOT_MEASURED = 'not measured';

/**
 * False when the snapshot comes from a plugin that does not measure the threshold's metric:
 * the replaced system's plugin sends no exception fields and no endpoint p95/p99. A missing
 * snapshot is "no data", not this.
 */
export function isMeasured(threshold: Pick<Threshold, 'metric' | 'endpoint'>, snapshot: MetricsSnapshot | undefined, plugin?: LocustPlugin): boolean {
  if (snapshot === undefined) return true;
  if (threshold.metric === 'exceptions') return exceptionsMeasured(snapshot);
  // That plugin sends an endpoint's Median only: its p95/p99 arrive as 0, which would pass anything.
  return !(plugin === 'harness' && threshold.endpoint !== undefined && (threshold.metric === 'p95' || threshold.metric === 'p99'));
}

/** The metric's value, or null when nothing was measured (no requests, endpoint never requested). */
export function observe(threshold: Pick<Threshold, 'metric' | 'endpoint'>, snapshot: MetricsSnapshot | undefined): number | null {
  if (!snapshot) return null;
  if (threshold.endpoint === undefined) return observeTotal(threshold.metric, snapshot);
  const stats = endpointStatsOf(snapshot, threshold.endpoint);
  return stats ? observeEndpoint(threshold.metric, stats) : null;
}

/**
 * `measured` false: the plugin cannot measure the metric. A default threshold then passes
 * ("not measured": loadctl's own rule must not fail a run for what it cannot see); the user's
 * own fails ("no data"), since they asked for something nobody checked.
 */
export function judge(threshold: Threshold, observed: number | null, measured = true): ThresholdVerdict {
  const rule = {
    threshold: threshold.text,
    metric: threshold.metric,
    ...(threshold.endpoint === undefined ? {} : { endpoint: threshold.endpoint }),
    operator: threshold.operator,
    limit: threshold.limit,
  };
  const isDefault = threshold.isDefault ? { isDefault: true } : {};
  if (!measured) {
    return { ...rule, observed: null, passed: threshold.isDefault === true, reason: threshold.isDefault ? NOT_MEASURED : NO_DATA, ...isDefault };
  }
  return {
    ...rule,
    observed,
    passed: observed !== null && holds(observed, threshold.operator, threshold.limit),
    ...(observed === null ? { reason: NO_DATA } : {}),
    ...isDefault,
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
  // "requests>=1" fails with 0, not "no data"; a task can raise before any request. Anything
  // else of a run that sent nothing (latency, rate, failures) has nothing worth passing on.
  switch (metric) {
    case 'requests':
      return snapshot.totalRequests;
    case 'exceptions':
      return exceptionsMeasured(snapshot) ? exceptionsOf(snapshot) : null;
    default:
      return snapshot.totalRequests === 0 ? null : observeTotalTiming(metric, snapshot);
  }
}

function observeTotalTiming(metric: Exclude<ThresholdMetric, 'requests' | 'exceptions'>, snapshot: MetricsSnapshot): number | null {
  switch (metric) {
    case 'failures':
      return snapshot.totalFailures;
    case 'p50':
    case 'p95':
    case 'p99':
      return totalPercentilesOf(snapshot)[metric];
    case 'avg':
      return snapshot.avgResponseMs;
    case 'max':
      return maxResponseOf(snapshot);
    case 'error_rate':
      return errorRateOf(snapshot.totalRequests, snapshot.totalFailures);
    case 'rps':
      return snapshot.totalRps;
  }
}

function observeEndpoint(metric: ThresholdMetric, stats: EndpointStats): number | null {
  if (stats.numRequests === 0) return null;
  const values: Record<ThresholdMetric, number | null> = {
    ...endpointPercentilesOf(stats),
    avg: stats.avgResponseTime,
    max: stats.maxResponseTime,
    error_rate: errorRateOf(stats.numRequests, stats.numFailures),
    failures: stats.numFailures,
    requests: stats.numRequests,
    rps: stats.requestsPerSec,
    // Exceptions belong to tasks, not requests: parseThreshold refuses them per endpoint.
    exceptions: null,
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
