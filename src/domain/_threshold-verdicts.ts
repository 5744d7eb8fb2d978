// Judging thresholds: once at the end of a run, and at each push for abortOnFail.
import { resultMetricsOf, withRunRates } from './summary.js';
import { isMeasured, judge, observe } from './_threshold-evaluate.js';
import type { Threshold, ThresholdVerdict } from './_threshold-types.js';
import type { MetricsSnapshot, Run } from './types.js';

/**
 * Every threshold judged on the run's result: its final push, else its last one, else the
 * last of `pushes` (a run read back before `lastMetrics` was saved). A metric without data
 * fails with reason "no data": a threshold nobody could measure has not been met. A metric the
 * run's plugin does not measure (exceptions of the replaced system's plugin) passes a default
 * threshold with reason "not measured" and fails the user's own with "no data".
 */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  run: Pick<Run, 'finalMetrics' | 'lastMetrics' | 'startedAt' | 'plugin'>,
  pushes: readonly MetricsSnapshot[],
): ThresholdVerdict[] {
  // rps is the run's: its requests over the load, also when only a mid-run push is left
  const snapshot = withRunRates(resultMetricsOf(run) ?? pushes[pushes.length - 1], run.startedAt);
  return thresholds.map((threshold) => judge(threshold, observe(threshold, snapshot), isMeasured(threshold, snapshot, run.plugin)));
}

/**
 * Whether a failure seen mid-run already decides the end result, so stopping early is fair.
 * Latencies and the error rate describe the data so far; a failure count only grows, so
 * "failures<=10" broken now stays broken. Throughput and request counts are judged at the end.
 */
export function canAbortEarly(threshold: Pick<Threshold, 'metric' | 'operator'>): boolean {
  switch (threshold.metric) {
    case 'rps':
    case 'requests':
      return false;
    case 'failures':
    case 'exceptions':
      return threshold.operator === '<' || threshold.operator === '<=';
    default:
      return true;
  }
}

/**
 * The abortOnFail thresholds that fail on the data so far (the last push's cumulative
 * numbers), once `elapsedSeconds` is past their grace period (`graceSeconds` of the
 * threshold, else of `options`). A metric without data yet is not a failure mid-run: an
 * endpoint may simply not have been requested so far. Empty: keep running.
 */
export function evaluateDuringRun(
  thresholds: readonly Threshold[],
  pushesSoFar: readonly MetricsSnapshot[],
  elapsedSeconds: number,
  options: { graceSeconds?: number } = {},
): ThresholdVerdict[] {
  const latest = pushesSoFar[pushesSoFar.length - 1];
  if (!latest) return [];
  return thresholds
    .filter((threshold) => threshold.abortOnFail && canAbortEarly(threshold))
    .filter((threshold) => elapsedSeconds >= (threshold.graceSeconds ?? options.graceSeconds ?? 0))
    .map((threshold) => judge(threshold, observe(threshold, latest)))
    .filter((verdict) => verdict.observed !== null && !verdict.passed);
}

/** True when every verdict passed (and trivially with none): the run's threshold outcome. */
export function allThresholdsPassed(verdicts: readonly ThresholdVerdict[]): boolean {
  return verdicts.every((verdict) => verdict.passed);
}
