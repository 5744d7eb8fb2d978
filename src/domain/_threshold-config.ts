// The `thresholds:` key of loadctl.yaml: a list of threshold texts, or objects that add
// abortOnFail and a grace period:
//   thresholds: ["p95<500ms", {threshold: "error_rate<1%", abortOnFail: true, graceSeconds: 10}]
import { LoadctlError } from './errors.js';
import { parseThreshold, thresholdError } from './_threshold-syntax.js';
import { canAbortEarly } from './_threshold-verdicts.js';
import type { Threshold } from './_threshold-types.js';

const OBJECT_KEYS = ['threshold', 'abortOnFail', 'graceSeconds'];

/** The YAML value as thresholds; absent or null → none. Errors name the entry: "thresholds[1]: …". */
export function parseThresholdConfig(value: unknown): Threshold[] {
  if (value === undefined || value === null) return [];
  const entries = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(entries)) {
    throw configError('thresholds must be a list, e.g. thresholds: ["p95<500ms", "error_rate<1%"]');
  }
  return entries.map((entry, index) => {
    try {
      return parseEntry(entry);
    } catch (error) {
      if (!(error instanceof LoadctlError)) throw error;
      throw new LoadctlError(error.code, `thresholds[${index}]: ${error.message}`, { cause: error, details: { ...error.details, index } });
    }
  });
}

function parseEntry(entry: unknown): Threshold {
  if (typeof entry === 'string') return parseThreshold(entry);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw configError('must be a text like "p95<500ms" or {threshold: "p95<500ms", abortOnFail: true}');
  }
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !OBJECT_KEYS.includes(key));
  if (unknown.length > 0) throw configError(`unknown key "${unknown[0]}"; allowed: ${OBJECT_KEYS.join(', ')}`);
  if (typeof fields.threshold !== 'string') throw configError('needs "threshold", a text like "p95<500ms"');
  const threshold = parseThreshold(fields.threshold);
  const abortOnFail = fields.abortOnFail ?? false;
  if (typeof abortOnFail !== 'boolean') throw thresholdError(threshold.text, 'abortOnFail must be true or false');
  const grace = fields.graceSeconds;
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0)) {
    throw thresholdError(threshold.text, 'graceSeconds must be a number of seconds, 0 or more');
  }
  if (abortOnFail && !canAbortEarly(threshold)) {
    throw thresholdError(threshold.text, `abortOnFail needs a metric a partial run can decide (p50, p95, p99, avg, max, error_rate, failures with < or <=); ${threshold.metric} is only judged at the end`);
  }
  return { ...threshold, abortOnFail, ...(grace === undefined ? {} : { graceSeconds: grace as number }) };
}

function configError(problem: string): LoadctlError {
  return new LoadctlError('LOADCTL_THRESHOLD_INVALID', problem, { details: { field: 'thresholds' } });
}
