// A run's pushes cut into time windows. Each push carries cumulative totals and the
// histogram of the interval that ends at its timestamp, so a window's counts are a
// difference of totals and its percentiles come from the merged interval histograms.
import { windowStatsOf, type WindowStart, type WindowStats } from './summary.js';
import type { MetricsSnapshot, Run } from './types.js';

/** Finer grids are refused, so one request cannot ask for an unbounded answer. */
export const MAX_TIMESERIES_POINTS = 100_000;

/**
 * Bounds in epoch milliseconds; either may be open. A push is inside when
 * from < timestamp ≤ to: it reports the interval that ends at its timestamp, so a push
 * exactly at `from` describes time before the window.
 */
export interface TimeWindow {
  fromMs?: number;
  toMs?: number;
}

export interface TimeseriesPoint {
  /** The end of the bucket (or the push's own timestamp when there is one point per push). */
  timestamp: string;
  requests: number;
  failures: number;
  errorRate: number;
  rps: number;
  /** Users running at the last push of the bucket. */
  users: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
}

export type WindowAggregate = WindowStats & { pushes: number };

/** Where counting starts for a run: its start with nothing counted yet, when it started at all. */
export function runStartOf(run: Pick<Run, 'startedAt'>): WindowStart | undefined {
  return run.startedAt ? { timestamp: run.startedAt, totalRequests: 0, totalFailures: 0 } : undefined;
}

/** How many buckets of `stepSeconds` a span needs (the last one may be partial). */
export function countBuckets(spanMs: number, stepSeconds: number): number {
  return Math.max(1, Math.ceil(spanMs / (stepSeconds * 1000)));
}

/**
 * The span buckets would cover: from their anchor to `to`, else to the last push inside.
 * Given both bounds it is their distance whatever was pushed, so a request is judged alone.
 */
export function gridSpanMs(pushes: readonly MetricsSnapshot[], runStart: WindowStart | undefined, window: TimeWindow): number {
  const inside = indexesInside(pushes, window);
  const last = inside.at(-1);
  const start = gridAnchorMs(pushes, runStart, window, inside);
  const end = window.toMs ?? (last === undefined ? undefined : Date.parse(pushes[last]!.timestamp));
  return start === undefined || end === undefined ? 0 : Math.max(0, end - start);
}

/** One window's statistics from the pushes (ordered by seq) inside it. */
export function aggregateWindow(pushes: readonly MetricsSnapshot[], runStart: WindowStart | undefined, window: TimeWindow): WindowAggregate {
  const inside = indexesInside(pushes, window);
  const first = inside[0];
  const before = first === undefined ? undefined : (pushes[first - 1] ?? runStart);
  const selected = inside.map((index) => pushes[index]!);
  return { ...windowStatsOf(selected, before), pushes: selected.length };
}

/**
 * The window's pushes (ordered by seq) as points. Without a step every push is a point of
 * its own. With one, buckets of `stepSeconds` start at `from` (else the run's start, else
 * the first push); a bucket without a push is left out, not shown as zero traffic, because
 * a step shorter than the push interval would otherwise draw a saw of false zeros.
 */
export function bucketTimeseries(
  pushes: readonly MetricsSnapshot[],
  runStart: WindowStart | undefined,
  options: TimeWindow & { stepSeconds?: number },
): TimeseriesPoint[] {
  const inside = indexesInside(pushes, options);
  if (inside.length === 0) return [];
  const endOf = bucketEnds(pushes, runStart, inside, options);
  const points: TimeseriesPoint[] = [];
  let group: number[] = [];
  const flush = (): void => {
    const first = group[0];
    if (first === undefined) return;
    const members = group.map((index) => pushes[index]!);
    const last = members[members.length - 1]!;
    const stats = windowStatsOf(members, pushes[first - 1] ?? runStart);
    points.push({
      timestamp: new Date(endOf(first)).toISOString(),
      requests: stats.requests,
      failures: stats.failures,
      errorRate: stats.errorRate,
      rps: stats.rps,
      users: last.currentUsers,
      p50ResponseMs: stats.p50ResponseMs,
      p95ResponseMs: stats.p95ResponseMs,
      p99ResponseMs: stats.p99ResponseMs,
    });
    group = [];
  };
  for (const index of inside) {
    if (group.length > 0 && endOf(group[0]!) !== endOf(index)) flush();
    group.push(index);
  }
  flush();
  return points;
}

/** Which bucket end each push (by index) falls under. */
function bucketEnds(
  pushes: readonly MetricsSnapshot[],
  runStart: WindowStart | undefined,
  inside: readonly number[],
  options: TimeWindow & { stepSeconds?: number },
): (index: number) => number {
  const timeOf = (index: number): number => Date.parse(pushes[index]!.timestamp);
  if (options.stepSeconds === undefined) return timeOf;
  const stepMs = options.stepSeconds * 1000;
  const anchor = gridAnchorMs(pushes, runStart, options, inside)!;
  return (index) => {
    // Buckets are (start, end], like a push's own interval; a push at or before the anchor
    // (only possible without `from`, e.g. a test-start that arrived late) joins the first.
    const bucket = Math.max(0, Math.ceil((timeOf(index) - anchor) / stepMs) - 1);
    return Math.min(anchor + (bucket + 1) * stepMs, options.toMs ?? Number.POSITIVE_INFINITY);
  };
}

/** Where the buckets start: `from`, else the run's start, else the first push inside. */
function gridAnchorMs(pushes: readonly MetricsSnapshot[], runStart: WindowStart | undefined, window: TimeWindow, inside: readonly number[]): number | undefined {
  if (window.fromMs !== undefined) return window.fromMs;
  if (runStart) return Date.parse(runStart.timestamp);
  const first = inside[0];
  return first === undefined ? undefined : Date.parse(pushes[first]!.timestamp);
}

function indexesInside(pushes: readonly MetricsSnapshot[], window: TimeWindow): number[] {
  const indexes: number[] = [];
  pushes.forEach((push, index) => {
    const time = Date.parse(push.timestamp);
    if (window.fromMs !== undefined && time <= window.fromMs) return;
    if (window.toMs !== undefined && time > window.toMs) return;
    indexes.push(index);
  });
  return indexes;
}
