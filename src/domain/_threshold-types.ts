// The shapes of thresholds and their verdicts, apart from the parser so that every helper
// can use them without importing the public module (and its helpers) back.

/** Each metric with the kind of number it is, which decides its units and its formatting. */
export const THRESHOLD_METRICS = {
  p50: 'time',
  p95: 'time',
  p99: 'time',
  avg: 'time',
  max: 'time',
  error_rate: 'rate',
  failures: 'count',
  requests: 'count',
  rps: 'throughput',
  /** Task exceptions (Python errors raised in a task, not failed requests); counted for the whole run. */
  exceptions: 'count',
} as const;

export type ThresholdMetric = keyof typeof THRESHOLD_METRICS;
export type MetricKind = (typeof THRESHOLD_METRICS)[ThresholdMetric];

export const THRESHOLD_OPERATORS = ['<', '<=', '>', '>=', '=='] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

export interface Threshold {
  /** As written (trimmed): the name reports and verdicts use. */
  text: string;
  metric: ThresholdMetric;
  /** "METHOD name" as in a snapshot's requestStats; absent for the run's totals. */
  endpoint?: string;
  operator: ThresholdOperator;
  /** In the metric's base unit: ms for times, a 0..1 fraction for error_rate, a count, or requests per second. */
  limit: number;
  /** Stop the run as soon as this fails mid-run (after the grace period). */
  abortOnFail: boolean;
  /** Seconds from the start during which a mid-run failure does not abort; absent: the caller's default. */
  graceSeconds?: number;
  /** Added by loadctl (see default-thresholds.ts), not written by the user. */
  isDefault?: boolean;
}

export interface ThresholdVerdict {
  /** The threshold's text, e.g. "p95<500ms". */
  threshold: string;
  metric: ThresholdMetric;
  endpoint?: string;
  operator: ThresholdOperator;
  /** Base unit, as in Threshold.limit. */
  limit: number;
  /** Null when there was nothing to measure (no requests, or the endpoint never requested). */
  observed: number | null;
  passed: boolean;
  /** Why it was judged without a comparison: "no data" (failed), or "not measured" (a default threshold the plugin cannot measure: passed). */
  reason?: string;
  /** One of loadctl's default thresholds, not the user's. */
  isDefault?: boolean;
}

/** A run's thresholds as one word: 'failed' when any verdict failed. */
export type RunVerdict = 'passed' | 'failed';

/** How a threshold travels in the start-run body and the YAML file: its text, or an object that adds abortOnFail. */
export type ThresholdInput = string | { threshold: string; abortOnFail?: boolean; graceSeconds?: number };

export function metricKindOf(metric: ThresholdMetric): MetricKind {
  return THRESHOLD_METRICS[metric];
}

export function isThresholdMetric(word: string): word is ThresholdMetric {
  return Object.hasOwn(THRESHOLD_METRICS, word);
}
