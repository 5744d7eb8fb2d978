// `--json FILE`: the run's outcome for machines. Its shape is json-report.schema.json
// (a test validates one against the other); bump schemaVersion on a breaking change.
import { peakUsersOf } from '../../domain/intervals.js';
import { endedByShape, plannedSecondsOf, type RunShape } from '../../domain/load-shape.js';
import { resultMetricsOf, totalsOf, withRunRates, type EndpointResult } from '../../domain/summary.js';
import { allThresholdsPassed, stoppedByThreshold, thresholdAbortOf, type ThresholdVerdict } from '../../domain/thresholds.js';
import type { ErrorEntry, ExceptionEntry, MetricsSnapshot, RunEvent, RunStatus, RunWorker } from '../../domain/types.js';
import { secondsBetween } from '../render/format.js';
import type { ReportInput, ReportRun } from './report-input.js';
import { compareText, endpointRow, thresholdEntry } from './_report-rows.js';
import { sortedPushes, timelineOf, type TimelinePoint } from './_report-timeline.js';

export const JSON_REPORT_SCHEMA_VERSION = 1;

export interface JsonReport {
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  generatedAt?: string;
  run: {
    id: string;
    name?: string;
    loadTestId: string;
    testName: string;
    scriptRevisionId: string;
    targetUrl: string;
    targetUsers: number;
    spawnRate: number;
    plannedDurationSeconds: number;
    createdAt: string;
    startedAt?: string;
    finishedAt?: string;
    error?: string;
    locustArgs?: string[];
    /** The load shape that drove the users; absent: targetUsers at spawnRate. */
    shape?: RunShape;
    /** Distributed runs: local worker processes, remote workers expected, and each worker as the master saw it. */
    workers?: number;
    expectRemoteWorkers?: number;
    workerNodes?: RunWorker[];
    /** Worker losses and the like. */
    events?: RunEvent[];
  };
  summary: {
    status: RunStatus;
    /** What exit code 0 means: the run Finished and every threshold passed. */
    passed: boolean;
    thresholdsPassed: boolean;
    autoStopped: boolean;
    /** The abortOnFail reason, when a threshold stopped the run early. */
    stoppedEarlyBy?: string;
    /** What ended the run, once it ended. */
    endedBy?: 'duration' | 'shape' | 'request' | 'threshold' | 'failure';
    /** Seconds it actually ran; null when it never started. */
    durationSeconds: number | null;
    plannedDurationSeconds: number;
    users: { target: number; peak: number };
    /** Which push the totals come from: the plugin's final one, the last one seen, or none. */
    source: 'final' | 'last' | 'none';
    requests: number;
    failures: number;
    errorRate: number;
    rps: number;
    avgResponseMs: number;
    p50ResponseMs: number;
    p95ResponseMs: number;
    p99ResponseMs: number;
    /** Exceptions raised in tasks (not failed requests). */
    exceptions: number;
  };
  thresholds: Array<ThresholdVerdict & { message: string }>;
  endpoints: EndpointRow[];
  /** Most frequent first. */
  errors: ErrorEntry[];
  /** Task exceptions with their tracebacks, most frequent first. */
  exceptions: ExceptionEntry[];
  timeline: TimelinePoint[];
}

/** An endpoint's row: the API summary's row plus its "METHOD name" key. */
export interface EndpointRow extends EndpointResult {
  endpoint: string;
}

export function renderJsonReport(input: ReportInput): JsonReport {
  const { run, verdicts } = input;
  const pushes = sortedPushes(input.pushes);
  const last = pushes[pushes.length - 1];
  // rates over the run's load, as the API's summary gives them
  const metrics = withRunRates(resultMetricsOf(run) ?? last, run.startedAt);
  const thresholdsPassed = allThresholdsPassed(verdicts);
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    ...(input.generatedAt ? { generatedAt: input.generatedAt } : {}),
    run: runPart(run, input.testName),
    summary: {
      status: run.status,
      passed: run.status === 'Finished' && thresholdsPassed,
      thresholdsPassed,
      autoStopped: run.autoStopped,
      ...(stoppedByThreshold(run) ? { stoppedEarlyBy: thresholdAbortOf(run)! } : {}),
      ...endedByOf(run),
      durationSeconds: secondsBetween(run.startedAt, run.finishedAt ?? last?.timestamp ?? input.generatedAt) ?? null,
      plannedDurationSeconds: plannedSecondsOf(run),
      users: { target: run.targetUsers, peak: peakUsersOf(pushes) },
      source: run.finalMetrics ? 'final' : metrics ? 'last' : 'none',
      ...totalsOf(metrics),
    },
    thresholds: verdicts.map(thresholdEntry),
    endpoints: Object.values(metrics?.requestStats ?? {}).map(endpointRow).sort((a, b) => compareText(a.name, b.name) || compareText(a.method, b.method)),
    errors: [...(metrics?.errors ?? [])].sort((a, b) => b.occurrences - a.occurrences),
    exceptions: [...(metrics?.exceptions ?? [])].sort((a, b) => b.count - a.count),
    timeline: timelineOf(run, pushes),
  };
}

function endedByOf(run: ReportRun): { endedBy?: JsonReport['summary']['endedBy'] } {
  if (run.status === 'Failed') return { endedBy: 'failure' };
  if (stoppedByThreshold(run)) return { endedBy: 'threshold' };
  if (run.status === 'Finished') return { endedBy: endedByShape(run) ? 'shape' : 'duration' };
  if (run.status === 'Stopped') return { endedBy: 'request' };
  return {};
}

function runPart(run: ReportRun, testName: string): JsonReport['run'] {
  const optional = {
    name: run.name,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    workers: run.workers,
    expectRemoteWorkers: run.expectRemoteWorkers,
    workerNodes: run.workerNodes,
    events: run.events,
    locustArgs: run.locustArgs,
    shape: run.shape,
  };
  return {
    id: run.id,
    loadTestId: run.loadTestId,
    testName,
    scriptRevisionId: run.scriptRevisionId,
    targetUrl: run.targetUrl,
    targetUsers: run.targetUsers,
    spawnRate: run.spawnRate,
    plannedDurationSeconds: run.durationSeconds,
    createdAt: run.createdAt,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}
