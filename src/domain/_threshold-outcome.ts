// What thresholds mean for a run as a whole: the verdict stored with it, the reason an
// abortOnFail stop records, and telling such a stop from one a person asked for.
import { describeVerdict } from './_threshold-format.js';
import { allThresholdsPassed } from './_threshold-verdicts.js';
import type { RunVerdict, Threshold, ThresholdInput, ThresholdVerdict } from './_threshold-types.js';
import type { Run } from './types.js';

/** Starts the reason of the Stopping (and Stopped) change of a run stopped by abortOnFail. */
export const THRESHOLD_ABORT_PREFIX = 'threshold failed: ';

export function runVerdictOf(verdicts: readonly ThresholdVerdict[]): RunVerdict {
  return allThresholdsPassed(verdicts) ? 'passed' : 'failed';
}

/** "threshold failed: p95 was 812 ms, limit < 500 ms". */
export function abortReasonOf(failing: readonly ThresholdVerdict[]): string {
  return `${THRESHOLD_ABORT_PREFIX}${failing.map(describeVerdict).join('; ')}`;
}

/** The abortOnFail reason the run was stopped with, if it was. */
export function thresholdAbortOf(run: Pick<Run, 'statusHistory'>): string | undefined {
  return run.statusHistory.find((change) => (change.to === 'Stopping' || change.to === 'Stopped') && change.reason?.startsWith(THRESHOLD_ABORT_PREFIX))?.reason;
}

/** Stopped early because a threshold had already failed: a failed threshold, not a failed run. */
export function stoppedByThreshold(run: Pick<Run, 'status' | 'statusHistory'>): boolean {
  return run.status === 'Stopped' && thresholdAbortOf(run) !== undefined;
}

/** The start-run body's form of a parsed threshold: its text, or an object when it aborts. */
export function thresholdInputOf(threshold: Threshold): ThresholdInput {
  if (!threshold.abortOnFail) return threshold.text;
  return { threshold: threshold.text, abortOnFail: true, ...(threshold.graceSeconds === undefined ? {} : { graceSeconds: threshold.graceSeconds }) };
}
