// Thresholds: pass/fail rules over a run's metrics ("p95<500ms", "error_rate<1%",
// "GET /api/products: p95<300ms"). Parsing, the endpoint check against the script, and
// judging at the end of a run or mid-run for abortOnFail. Pure: no I/O, no clock.
import { closestMatches } from './_threshold-suggest.js';
import { thresholdError } from './_threshold-syntax.js';
import type { Threshold } from './_threshold-types.js';

export {
  THRESHOLD_METRICS,
  THRESHOLD_OPERATORS,
  type MetricKind,
  type RunVerdict,
  type Threshold,
  type ThresholdInput,
  type ThresholdMetric,
  type ThresholdOperator,
  type ThresholdVerdict,
} from './_threshold-types.js';
export { parseThreshold } from './_threshold-syntax.js';
export { parseThresholdConfig } from './_threshold-config.js';
export { endpointsFromScript } from './_threshold-script.js';
export { allThresholdsPassed, canAbortEarly, evaluateDuringRun, evaluateThresholds } from './_threshold-verdicts.js';
export { describeVerdict, formatMetricValue, thresholdLabelOf } from './_threshold-format.js';
export { DEFAULT_THRESHOLDS_ALONE, DEFAULT_THRESHOLDS_WITH_OWN, ownThresholdsOf, withDefaultThresholds } from './default-thresholds.js';
export { THRESHOLD_ABORT_PREFIX, abortReasonOf, runVerdictOf, stoppedByThreshold, thresholdAbortOf, thresholdInputOf } from './_threshold-outcome.js';

const LISTED_ENDPOINTS = 6;

/**
 * Refuses a per-endpoint threshold whose endpoint the script never requests, before the run
 * starts. `knownEndpoints` null (the script's names could not be read, see
 * endpointsFromScript) defers the check to the end of the run, where such a threshold fails
 * with "no data". Methods match in any case, as at evaluation.
 */
export function validateThresholdEndpoints(thresholds: readonly Threshold[], knownEndpoints: readonly string[] | null): void {
  if (knownEndpoints === null) return;
  const known = new Set(knownEndpoints.map(normalizeMethod));
  for (const threshold of thresholds) {
    if (threshold.endpoint === undefined || known.has(normalizeMethod(threshold.endpoint))) continue;
    const near = closestMatches(threshold.endpoint, knownEndpoints, Math.max(2, Math.floor(threshold.endpoint.length / 5)));
    const listed = knownEndpoints.slice(0, LISTED_ENDPOINTS).join(', ') + (knownEndpoints.length > LISTED_ENDPOINTS ? ', …' : '');
    const hint = near.length > 0 ? `did you mean "${near[0]}"?` : `the script requests: ${listed}`;
    throw thresholdError(threshold.text, `the script never requests "${threshold.endpoint}"; ${hint}`, {
      endpoint: threshold.endpoint,
      knownEndpoints: [...knownEndpoints],
    });
  }
}

function normalizeMethod(endpoint: string): string {
  const space = endpoint.indexOf(' ');
  return space < 0 ? endpoint : endpoint.slice(0, space).toUpperCase() + endpoint.slice(space);
}
