// Two runs side by side: per endpoint (and for the totals) how throughput, latency and the
// error rate moved from a baseline run to a current one, and which moves are regressions.
import { errorRateOf, resultMetricsOf, withRunRates } from './summary.js';
import { formatMetricValue } from './_threshold-format.js';
import { holds } from './_threshold-evaluate.js';
import { endpointPercentilesOf, totalPercentilesOf } from './metric-definitions.js';
import type { ThresholdOperator, ThresholdVerdict } from './_threshold-types.js';
import type { EndpointStats, MetricsSnapshot, Run } from './types.js';

export const COMPARED_METRICS = ['rps', 'p50', 'p95', 'p99', 'error_rate'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

export type ComparableRun = Pick<Run, 'id' | 'finalMetrics' | 'lastMetrics' | 'startedAt'>;

export interface MetricDelta {
  baseline: number;
  current: number;
  /** current − baseline. */
  absolute: number;
  /** Change relative to the baseline in percent; null when the baseline is 0 and the current is not. */
  percent: number | null;
  /** Moved the bad way (throughput down; latency or error rate up) by more than the tolerance. */
  worse: boolean;
}

export interface EndpointComparison {
  /** "METHOD name"; absent for the run totals. */
  endpoint?: string;
  /** Deltas only with requests in both runs ('neither': totals of two runs that sent nothing). */
  presence: 'both' | 'baseline-only' | 'current-only' | 'neither';
  deltas?: Record<ComparedMetric, MetricDelta>;
}

export interface RunComparison {
  baselineRunId: string;
  currentRunId: string;
  tolerancePercent: number;
  total: EndpointComparison;
  /** Sorted by endpoint. */
  endpoints: EndpointComparison[];
  /** Any delta worse than the tolerance, or an endpoint the current run no longer requests. */
  regressed: boolean;
}

type MetricValues = Record<ComparedMetric, number>;

export function compareRuns(baseline: ComparableRun, current: ComparableRun, options: { tolerancePercent: number }): RunComparison {
  // Rates over each run's load, as its summary shows them.
  const before = withRunRates(resultMetricsOf(baseline), baseline.startedAt);
  const after = withRunRates(resultMetricsOf(current), current.startedAt);
  const keys = [...new Set([...endpointKeys(before), ...endpointKeys(after)])].sort();
  const endpoints = keys.map((key) =>
    compareValues(endpointValues(before?.requestStats[key]), endpointValues(after?.requestStats[key]), options.tolerancePercent, key),
  );
  const total = compareValues(totalValues(before), totalValues(after), options.tolerancePercent);
  const parts = [total, ...endpoints];
  return {
    baselineRunId: baseline.id,
    currentRunId: current.id,
    tolerancePercent: options.tolerancePercent,
    total,
    endpoints,
    regressed: parts.some((part) => part.presence === 'baseline-only' || COMPARED_METRICS.some((metric) => part.deltas?.[metric].worse)),
  };
}

/**
 * The comparison as failing or passing thresholds, so a regression fails a CI step like any
 * threshold: "GET /x: p95 within 10% of baseline (500 ms)" with limit <= 550 ms. An endpoint
 * the current run no longer requests fails as "requests > 0"; new endpoints are not judged.
 */
export function regressionVerdicts(baseline: ComparableRun, current: ComparableRun, maxRegressionPercent: number): ThresholdVerdict[] {
  const comparison = compareRuns(baseline, current, { tolerancePercent: maxRegressionPercent });
  return [comparison.total, ...comparison.endpoints].flatMap((part): ThresholdVerdict[] => {
    const prefix = part.endpoint === undefined ? '' : `${part.endpoint}: `;
    const where = part.endpoint === undefined ? {} : { endpoint: part.endpoint };
    if (part.presence === 'baseline-only') {
      const threshold = `${prefix}requests>0 (requested in the baseline run)`;
      return [{ threshold, metric: 'requests', ...where, operator: '>', limit: 0, observed: 0, passed: false }];
    }
    if (!part.deltas) return [];
    return COMPARED_METRICS.map((metric) => {
      const { baseline: base, current: observed } = part.deltas![metric];
      const { operator, limit } = allowedChange(metric, base, maxRegressionPercent);
      const threshold = `${prefix}${metric} within ${maxRegressionPercent}% of baseline (${formatMetricValue(metric, base)})`;
      return { threshold, metric, ...where, operator, limit, observed, passed: holds(observed, operator, limit) };
    });
  });
}

/** The worst value still within tolerance: throughput may fall by it, the others rise by it. */
function allowedChange(metric: ComparedMetric, baseline: number, tolerancePercent: number): { operator: ThresholdOperator; limit: number } {
  return metric === 'rps'
    ? { operator: '>=', limit: baseline * (1 - tolerancePercent / 100) }
    : { operator: '<=', limit: baseline * (1 + tolerancePercent / 100) };
}

function compareValues(before: MetricValues | null, after: MetricValues | null, tolerancePercent: number, endpoint?: string): EndpointComparison {
  const where = endpoint === undefined ? {} : { endpoint };
  if (!before || !after) return { ...where, presence: before ? 'baseline-only' : after ? 'current-only' : 'neither' };
  const deltas = Object.fromEntries(
    COMPARED_METRICS.map((metric) => {
      const [base, now] = [before[metric], after[metric]];
      const { operator, limit } = allowedChange(metric, base, tolerancePercent);
      const percent = base === 0 ? (now === 0 ? 0 : null) : ((now - base) / base) * 100;
      return [metric, { baseline: base, current: now, absolute: now - base, percent, worse: !holds(now, operator, limit) }];
    }),
  ) as Record<ComparedMetric, MetricDelta>;
  return { ...where, presence: 'both', deltas };
}

function endpointKeys(snapshot: MetricsSnapshot | undefined): string[] {
  return Object.entries(snapshot?.requestStats ?? {})
    .filter(([, stats]) => stats.numRequests > 0)
    .map(([key]) => key);
}

// A run or endpoint without requests has no latency to compare: it counts as absent.
function endpointValues(stats: EndpointStats | undefined): MetricValues | null {
  if (!stats || stats.numRequests === 0) return null;
  return {
    rps: stats.requestsPerSec,
    ...endpointPercentilesOf(stats),
    error_rate: errorRateOf(stats.numRequests, stats.numFailures),
  };
}

function totalValues(snapshot: MetricsSnapshot | undefined): MetricValues | null {
  if (!snapshot || snapshot.totalRequests === 0) return null;
  return {
    rps: snapshot.totalRps,
    ...totalPercentilesOf(snapshot),
    error_rate: errorRateOf(snapshot.totalRequests, snapshot.totalFailures),
  };
}
