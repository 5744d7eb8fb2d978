import { histogramStatsOf, type HistogramStats } from './push-summary.js';
import { intervalEndMs, intervalStartMs, loadSecondsOf } from './intervals.js';
import { endpointPercentilesOf, exceptionsOf, totalPercentilesOf } from './metric-definitions.js';
import type { EndpointStats, ErrorEntry, ExceptionEntry, MetricsSnapshot, Run, RunSummary } from './types.js';

/** The numbers a finished (or abandoned) run is remembered by: the final push, else the last one. */
export function resultMetricsOf(run: Pick<Run, 'finalMetrics' | 'lastMetrics'>): MetricsSnapshot | undefined {
  return run.finalMetrics ?? run.lastMetrics;
}

/** The numbers of a snapshot a run summary keeps. */
export type SummaryMetrics = Pick<MetricsSnapshot, 'totalRequests' | 'totalFailures' | 'errorRate' | 'p95ResponseMs'>;

/** What a run summary is made from: a whole run, or only these fields of it (as a store reads them). */
export type SummarySource = Pick<Run, 'id' | 'status' | 'createdAt' | 'finishedAt' | 'targetUsers' | 'durationSeconds'> & {
  finalMetrics?: Partial<SummaryMetrics>;
  lastMetrics?: Partial<SummaryMetrics>;
};

export function summarizeRun(run: SummarySource): RunSummary {
  const metrics = run.finalMetrics ?? run.lastMetrics;
  return {
    runId: run.id,
    status: run.status,
    createdAt: run.createdAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    targetUsers: run.targetUsers,
    durationSeconds: run.durationSeconds,
    totalRequests: metrics?.totalRequests ?? 0,
    totalFailures: metrics?.totalFailures ?? 0,
    errorRate: metrics?.errorRate ?? 0,
    p95ResponseMs: metrics?.p95ResponseMs ?? 0,
  };
}

/** Seconds the run actually ran (start of spawning to stop), or null when it never started. */
export function actualDurationSeconds(run: Pick<Run, 'startedAt' | 'finishedAt'>, now: Date): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

export function errorRateOf(requests: number, failures: number): number {
  return requests === 0 ? 0 : failures / requests;
}

export interface WindowStats {
  requests: number;
  failures: number;
  errorRate: number;
  rps: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
  /** Requests counted in the merged histograms; equals `requests` when no push was lost. */
  histogramCount: number;
}

/** Where a window starts: the push just before it, or the test's start as `{ timestamp: startedAt, totalRequests: 0, totalFailures: 0 }`. */
export type WindowStart = Pick<MetricsSnapshot, 'timestamp' | 'totalRequests' | 'totalFailures' | 'intervalEnd'>;

/** The fields of a push a window's statistics read (a whole push, or its stored summary). */
export type WindowPush = Pick<MetricsSnapshot, 'timestamp' | 'intervalStart' | 'intervalEnd' | 'totalRequests' | 'totalFailures' | 'p50ResponseMs' | 'p95ResponseMs' | 'p99ResponseMs' | 'maxResponseMs'>;

/**
 * Statistics of the window covered by `pushes` (ordered by seq), given the push just before
 * the window (or none when the window starts with the test). Totals are cumulative, so the
 * window's count is a difference; its rate is that count over the length of the pushes'
 * intervals; percentiles come from the merged interval histograms.
 */
export function windowStatsOf(pushes: readonly MetricsSnapshot[], before?: WindowStart): WindowStats {
  if (pushes.length === 0) return windowStatsWith(pushes, before, { count: 0, p50: 0, p95: 0, p99: 0 });
  return windowStatsWith(pushes, before, histogramStatsOf(pushes.map((push) => push.histogram)));
}

/** windowStatsOf, given the count and percentiles of the window's merged histograms (a stored one-push summary's, or merged). */
export function windowStatsWith(pushes: readonly WindowPush[], before: WindowStart | undefined, histogram: HistogramStats): WindowStats {
  const last = pushes[pushes.length - 1];
  if (!last) {
    return { requests: 0, failures: 0, errorRate: 0, rps: 0, p50ResponseMs: 0, p95ResponseMs: 0, p99ResponseMs: 0, histogramCount: 0 };
  }
  const requests = last.totalRequests - (before?.totalRequests ?? 0);
  const failures = last.totalFailures - (before?.totalFailures ?? 0);
  const histogramCount = histogram.count;
  // A plugin that sends no histograms (the replaced system's): its own percentiles, of the
  // whole test up to the window's last push, are all there is (docs/METRICS.md).
  const own = histogramCount === 0 && requests > 0 ? totalPercentilesOf(last) : undefined;
  return {
    requests,
    failures,
    errorRate: errorRateOf(requests, failures),
    rps: rateOf(pushes, before),
    p50ResponseMs: own ? own.p50 : histogram.p50,
    p95ResponseMs: own ? own.p95 : histogram.p95,
    p99ResponseMs: own ? own.p99 : histogram.p99,
    histogramCount,
  };
}

/** Requests per second of the window: its requests over the length of its pushes' intervals. */
function rateOf(pushes: readonly WindowPush[], before: WindowStart | undefined): number {
  const first = pushes[0]!;
  const last = pushes[pushes.length - 1]!;
  const startMs = intervalStartMs(first, before);
  // An old first push without a known start: its requests took an unknown time, so the rate
  // is measured from its end to the last push's.
  const [fromMs, fromRequests] = startMs === undefined ? [intervalEndMs(first), first.totalRequests] : [startMs, before?.totalRequests ?? 0];
  const seconds = (intervalEndMs(last) - fromMs) / 1000;
  return seconds > 0 ? (last.totalRequests - fromRequests) / seconds : 0;
}

/** One endpoint's row of a run's results, as the API's summary shows it. */
export interface EndpointResult {
  method: string;
  name: string;
  requests: number;
  failures: number;
  errorRate: number;
  rps: number;
  avgResponseMs: number;
  minResponseMs: number;
  maxResponseMs: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
}

export interface RunResults {
  runId: string;
  loadTestId: string;
  status: Run['status'];
  startedAt?: string;
  finishedAt?: string;
  /** Seconds it actually ran (up to now while it runs); null when it never started. */
  durationSeconds: number | null;
  plannedDurationSeconds: number;
  /** Which push the numbers come from: the plugin's final one, the last one seen, or none yet. */
  source: 'final' | 'last' | 'none';
  totals: Omit<EndpointResult, 'method' | 'name' | 'minResponseMs' | 'maxResponseMs'> & { exceptions: number };
  endpoints: EndpointResult[];
  /** Most frequent first. */
  errors: ErrorEntry[];
  /** Task exceptions, most frequent first. */
  exceptions: ExceptionEntry[];
}

/**
 * A run's results from its final push, else its last one. Rates are over the whole load:
 * requests over the seconds from the test start to the end of that push's interval.
 */
export function summarizeResults(run: Run, now: Date): RunResults {
  const metrics = withRunRates(resultMetricsOf(run), run.startedAt);
  const source = run.finalMetrics ? 'final' : run.lastMetrics ? 'last' : 'none';
  return {
    runId: run.id,
    loadTestId: run.loadTestId,
    status: run.status,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    durationSeconds: actualDurationSeconds(run, now),
    plannedDurationSeconds: run.durationSeconds,
    source,
    totals: totalsOf(metrics),
    endpoints: Object.values(metrics?.requestStats ?? {}).map(endpointResultOf).sort(byNameThenMethod),
    errors: [...(metrics?.errors ?? [])].sort((a, b) => b.occurrences - a.occurrences || byNameThenMethod(a, b) || compareText(a.error, b.error)),
    exceptions: [...(metrics?.exceptions ?? [])].sort((a, b) => b.count - a.count || compareText(a.message, b.message)),
  };
}

export function endpointResultOf(stats: EndpointStats): EndpointResult {
  const percentiles = endpointPercentilesOf(stats);
  return {
    method: stats.method,
    name: stats.name,
    requests: stats.numRequests,
    failures: stats.numFailures,
    errorRate: errorRateOf(stats.numRequests, stats.numFailures),
    rps: stats.requestsPerSec,
    avgResponseMs: stats.avgResponseTime,
    minResponseMs: stats.minResponseTime,
    maxResponseMs: stats.maxResponseTime,
    p50ResponseMs: percentiles.p50,
    p95ResponseMs: percentiles.p95,
    p99ResponseMs: percentiles.p99,
  };
}

function byNameThenMethod(a: { name: string; method: string }, b: { name: string; method: string }): number {
  return compareText(a.name, b.name) || compareText(a.method, b.method);
}

// Code-point order, like the CLI's table: the same on every machine, unlike localeCompare.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A run's result snapshot with the run's rates: all requests (in total and per endpoint) over
 * the load's length, from the test start to the end of the snapshot's interval; the same
 * number /metrics/aggregate gives for the whole run. The summary, the reports, thresholds and
 * comparisons read rates from it. Unchanged when the run's start is unknown.
 */
export function withRunRates(metrics: MetricsSnapshot | undefined, startedAt: string | undefined): MetricsSnapshot | undefined {
  const loadSeconds = loadSecondsOf(startedAt, metrics);
  if (metrics === undefined || loadSeconds === undefined) return metrics;
  const requestStats = Object.fromEntries(Object.entries(metrics.requestStats).map(([key, stats]) => [key, { ...stats, requestsPerSec: stats.numRequests / loadSeconds }]));
  return { ...metrics, totalRps: metrics.totalRequests / loadSeconds, requestStats };
}

/** A run's totals from its result snapshot (see withRunRates); zeros when it has none. */
export function totalsOf(metrics: MetricsSnapshot | undefined) {
  const percentiles = metrics ? totalPercentilesOf(metrics) : { p50: 0, p95: 0, p99: 0 };
  return {
    requests: metrics?.totalRequests ?? 0,
    failures: metrics?.totalFailures ?? 0,
    errorRate: errorRateOf(metrics?.totalRequests ?? 0, metrics?.totalFailures ?? 0),
    rps: metrics?.totalRps ?? 0,
    avgResponseMs: metrics?.avgResponseMs ?? 0,
    p50ResponseMs: percentiles.p50,
    p95ResponseMs: percentiles.p95,
    p99ResponseMs: percentiles.p99,
    exceptions: metrics ? exceptionsOf(metrics) : 0,
  };
}
