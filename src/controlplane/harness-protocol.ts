// The callbacks of the replaced system's plugin (locust_harness_plugin.py), turned into
// loadctl's callback body at the edge, before validation, so nothing deeper knows about them.
// Its bodies: test-start {runId, tenantId, envId}; metrics {runId, metrics}; test-stop
// {runId, tenantId, envId, finalMetrics, autoStopped}; a snapshot has cumulative totals,
// errorRate in percent, p50/p95/p99 of the whole test so far, requestStats keyed "METHOD:name".
import { LoadctlError } from '../domain/errors.js';
import type { Run } from '../domain/types.js';

export type CallbackKind = 'test-start' | 'metrics' | 'test-stop';

/**
 * Its duration timer starts when Locust starts the test, a moment before its test-start call
 * lands and sets the run's startedAt: an auto-stop this much early still counts.
 */
export const AUTO_STOP_TOLERANCE_MS = 1_000;

// Fields of its snapshot that mean what ours mean (errorRate and requestStats are converted).
const SAME_FIELDS = ['totalRps', 'totalRequests', 'totalFailures', 'currentUsers', 'avgResponseMs', 'p50ResponseMs', 'p95ResponseMs', 'p99ResponseMs'] as const;
const ENDPOINT_FIELDS = ['method', 'name', 'numRequests', 'numFailures', 'avgResponseTime', 'minResponseTime', 'maxResponseTime', 'medianResponseTime', 'requestsPerSec'] as const;

/**
 * Our callback body for one of its callbacks. `seq` is given on arrival (it sends none) and
 * the timestamp is the arrival time, so windows are differences of its totals by arrival.
 * Values are copied, not checked: the normal callback schema validates the result.
 */
export function normaliseHarnessCallback(kind: CallbackKind, body: unknown, run: Pick<Run, 'id' | 'startedAt' | 'durationSeconds'>, arrival: Date, seq: number): Record<string, unknown> {
  const record = asObject(body, 'body');
  const head = { runId: run.id, seq, timestamp: arrival.toISOString() };
  switch (kind) {
    case 'test-start':
      return { ...head, totalRequests: 0, totalFailures: 0 };
    case 'metrics':
      return { ...head, ...snapshotOf(asObject(record.metrics, 'metrics')) };
    case 'test-stop':
      return { ...head, ...snapshotOf(asObject(record.finalMetrics, 'finalMetrics')), autoStopped: autoStoppedOf(record.autoStopped, run, arrival) };
  }
}

/**
 * Its autoStopped flag is never reset once set, so a later run stopped by hand would claim it:
 * believed only when the run's duration has elapsed since it started.
 */
export function autoStoppedOf(claimed: unknown, run: Pick<Run, 'startedAt' | 'durationSeconds'>, arrival: Date): boolean {
  if (claimed !== true || run.startedAt === undefined) return false;
  return arrival.getTime() - Date.parse(run.startedAt) >= run.durationSeconds * 1000 - AUTO_STOP_TOLERANCE_MS;
}

function snapshotOf(metrics: Record<string, unknown>): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {};
  for (const field of SAME_FIELDS) if (metrics[field] !== undefined) snapshot[field] = metrics[field];
  // Percent there, a 0..1 fraction here.
  if (typeof metrics.errorRate === 'number') snapshot.errorRate = metrics.errorRate / 100;
  else if (metrics.errorRate !== undefined) snapshot.errorRate = metrics.errorRate;
  if (metrics.requestStats !== undefined) snapshot.requestStats = requestStatsOf(asObject(metrics.requestStats, 'requestStats'));
  return snapshot;
}

/** "GET:/api/x" → "GET /api/x", the key loadctl (and its thresholds) use. */
function requestStatsOf(stats: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(stats).map(([key, value]) => {
    const entry = asObject(value, `requestStats.${key}`);
    const copied = Object.fromEntries(ENDPOINT_FIELDS.filter((field) => entry[field] !== undefined).map((field) => [field, entry[field]]));
    const ourKey = typeof entry.method === 'string' && typeof entry.name === 'string' ? `${entry.method} ${entry.name}` : key.replace(':', ' ');
    return [ourKey, copied] as const;
  });
  return Object.fromEntries(entries);
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new LoadctlError('LOADCTL_BAD_REQUEST', `${field} must be an object (the Harness plugin's callback body).`, { details: { field, location: 'body' } });
}
