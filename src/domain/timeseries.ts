// A run's pushes cut into time windows. Each push carries cumulative totals and the
// histogram of the interval it covers, so a window's counts are a difference of totals and
// its percentiles come from the merged interval histograms. Definitions: docs/METRICS.md.
import { intervalEndMs, intervalStartMs } from './intervals.js';
import { histogramStatsOf, type PushSummary, type StoredHistogram } from './push-summary.js';
import { windowStatsOf, windowStatsWith, type WindowStart, type WindowStats } from './summary.js';
import type { MetricsSnapshot, Run } from './types.js';

/** What cutting pushes into spans reads of each: its interval. */
type Stamped = Pick<MetricsSnapshot, 'timestamp' | 'intervalStart' | 'intervalEnd'>;

/** Finer grids are refused, so one request cannot ask for an unbounded answer. */
export const MAX_TIMESERIES_POINTS = 100_000;

/**
 * Bounds in epoch milliseconds; either may be open. A push is inside when the middle of its
 * interval is: from < middle ≤ to, so a push counts where most of its requests were made.
 */
export interface TimeWindow {
  fromMs?: number;
  toMs?: number;
}

export interface TimeseriesPoint {
  /** The end of the bucket (or of the push's interval when there is one point per push); never after the last push. */
  timestamp: string;
  requests: number;
  failures: number;
  errorRate: number;
  rps: number;
  /** Users running at the last push of the bucket (the stop sliver aside: its users are gone). */
  users: number;
  /** The users planned at that push (a load shape's target, else the run's); absent for pushes of older versions. */
  plannedUsers?: number;
  p50ResponseMs: number;
  p95ResponseMs: number;
  p99ResponseMs: number;
}

export type WindowAggregate = WindowStats & { pushes: number };

/**
 * Consecutive pushes (indexes first..last) that count as one interval: one push, or the last
 * push of the run with the stop sliver it ends in.
 */
interface Span {
  first: number;
  last: number;
  startMs: number | undefined;
  endMs: number;
  /** The push whose user count the span shows. */
  usersAt: number;
}

/** Where counting starts for a run: its start with nothing counted yet, when it started at all. */
export function runStartOf(run: Pick<Run, 'startedAt'>): WindowStart | undefined {
  return run.startedAt ? { timestamp: run.startedAt, totalRequests: 0, totalFailures: 0 } : undefined;
}

/** How many buckets of `stepSeconds` a span needs (the last one may be partial). */
export function countBuckets(spanMs: number, stepSeconds: number): number {
  return Math.max(1, Math.ceil(spanMs / (stepSeconds * 1000)));
}

/**
 * The span buckets would cover: from their anchor to `to`, else to the end of the last push inside.
 * Given both bounds it is their distance whatever was pushed, so a request is judged alone.
 */
export function gridSpanMs(pushes: readonly Stamped[], runStart: WindowStart | undefined, window: TimeWindow): number {
  const inside = spansInside(spansOf(pushes, runStart), window);
  const start = gridAnchorMs(runStart, window, inside);
  const end = window.toMs ?? inside.at(-1)?.endMs;
  return start === undefined || end === undefined ? 0 : Math.max(0, end - start);
}

/** One window's statistics from the pushes (ordered by seq) inside it. */
export function aggregateWindow(pushes: readonly MetricsSnapshot[], runStart: WindowStart | undefined, window: TimeWindow): WindowAggregate {
  const inside = spansInside(spansOf(pushes, runStart), window);
  const first = inside[0];
  const last = inside.at(-1);
  if (first === undefined || last === undefined) return { ...windowStatsOf([]), pushes: 0 };
  const selected = pushes.slice(first.first, last.last + 1);
  return { ...windowStatsOf(selected, pushes[first.first - 1] ?? runStart), pushes: selected.length };
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
  options: TimeseriesOptions,
): TimeseriesPoint[] {
  return groupsOf(pushes, runStart, options).map(({ first, last, endMs }) =>
    pointOf(pushes, last, endMs, windowStatsOf(pushes.slice(first.first, last.last + 1), pushes[first.first - 1] ?? runStart)),
  );
}

/**
 * bucketTimeseries from the pushes' stored summaries: a point of one push takes that push's
 * own histogram statistics; a point that merges pushes (a step, the stop sliver) merges their
 * histograms, which `histograms` must hold (see histogramSeqsNeeded).
 */
export function summaryTimeseries(
  summaries: readonly PushSummary[],
  histograms: ReadonlyMap<number, StoredHistogram>,
  runStart: WindowStart | undefined,
  options: TimeseriesOptions,
): TimeseriesPoint[] {
  return groupsOf(summaries, runStart, options).map(({ first, last, endMs }) => {
    const selected = summaries.slice(first.first, last.last + 1);
    const stats = selected.length === 1 ? selected[0]!.histogramStats : histogramStatsOf(selected.map((push) => histogramOf(histograms, push.seq)));
    return pointOf(summaries, last, endMs, windowStatsWith(selected, summaries[first.first - 1] ?? runStart, stats));
  });
}

/** The seqs (first and last, inclusive) whose histograms summaryTimeseries will merge; undefined when no point merges pushes. */
export function histogramSeqsNeeded(
  summaries: readonly PushSummary[],
  runStart: WindowStart | undefined,
  options: TimeseriesOptions,
): { fromSeq: number; toSeq: number } | undefined {
  const merging = groupsOf(summaries, runStart, options).filter(({ first, last }) => last.last > first.first);
  const from = merging[0];
  const to = merging.at(-1);
  return from && to ? { fromSeq: summaries[from.first.first]!.seq, toSeq: summaries[to.last.last]!.seq } : undefined;
}

function histogramOf(histograms: ReadonlyMap<number, StoredHistogram>, seq: number): StoredHistogram {
  const histogram = histograms.get(seq);
  // A bug of the caller, not of the data: it asked for fewer histograms than histogramSeqsNeeded says.
  if (histogram === undefined) throw new Error(`the histogram of push ${seq} was not read`);
  return histogram;
}

export type TimeseriesOptions = TimeWindow & { stepSeconds?: number };

/** The spans of each point: consecutive spans under one bucket end. */
interface Group {
  first: Span;
  last: Span;
  endMs: number;
}

function groupsOf(pushes: readonly Stamped[], runStart: WindowStart | undefined, options: TimeseriesOptions): Group[] {
  const spans = spansOf(pushes, runStart);
  const inside = spansInside(spans, options);
  if (inside.length === 0) return [];
  const endOf = bucketEnds(runStart, inside, spans.at(-1)!.endMs, options);
  const groups: Group[] = [];
  for (const span of inside) {
    const endMs = endOf(span);
    const open = groups.at(-1);
    if (open && open.endMs === endMs) open.last = span;
    else groups.push({ first: span, last: span, endMs });
  }
  return groups;
}

type PointPush = Pick<MetricsSnapshot, 'currentUsers' | 'targetUsers'>;

function pointOf(pushes: readonly PointPush[], last: Span, endMs: number, stats: WindowStats): TimeseriesPoint {
  return {
    timestamp: new Date(endMs).toISOString(),
    requests: stats.requests,
    failures: stats.failures,
    errorRate: stats.errorRate,
    rps: stats.rps,
    users: pushes[last.usersAt]!.currentUsers,
    ...plannedOf(pushes[last.usersAt]!),
    p50ResponseMs: stats.p50ResponseMs,
    p95ResponseMs: stats.p95ResponseMs,
    p99ResponseMs: stats.p99ResponseMs,
  };
}

function plannedOf(push: PointPush): { plannedUsers?: number } {
  return push.targetUsers === undefined ? {} : { plannedUsers: push.targetUsers };
}

/**
 * The pushes' intervals. The final push covers little more than the moments of stopping (a
 * few ms): alone, its handful of requests would draw a rate of 0 or a spike, so it joins
 * the interval before it when it is shorter than half of that one.
 */
function spansOf(pushes: readonly Stamped[], runStart: WindowStart | undefined): Span[] {
  const spans: Span[] = pushes.map((push, index) => ({
    first: index,
    last: index,
    startMs: intervalStartMs(push, pushes[index - 1] ?? runStart),
    endMs: intervalEndMs(push),
    usersAt: index,
  }));
  const [before, final] = spans.slice(-2);
  if (before && final && lengthOf(final) < lengthOf(before) / 2) spans.splice(-2, 2, { ...before, last: final.last, endMs: final.endMs });
  return spans;
}

function lengthOf(span: Span): number {
  return span.endMs - (span.startMs ?? span.endMs);
}

/** Where a span counts: the middle of its interval (its end when its start is unknown). */
function middleOf(span: Span): number {
  return span.startMs === undefined ? span.endMs : (span.startMs + span.endMs) / 2;
}

function spansInside(spans: readonly Span[], window: TimeWindow): Span[] {
  return spans.filter((span) => {
    const middle = middleOf(span);
    return (window.fromMs === undefined || middle > window.fromMs) && (window.toMs === undefined || middle <= window.toMs);
  });
}

/** Which bucket end each span falls under; no end lies after `runEndMs`, the end of the last push. */
function bucketEnds(
  runStart: WindowStart | undefined,
  inside: readonly Span[],
  runEndMs: number,
  options: TimeseriesOptions,
): (span: Span) => number {
  if (options.stepSeconds === undefined) return (span) => span.endMs;
  const stepMs = options.stepSeconds * 1000;
  const anchor = gridAnchorMs(runStart, options, inside)!;
  return (span) => {
    // Buckets are (start, end], like a push's own interval; a span whose middle is at or
    // before the anchor (only possible without `from`) joins the first.
    const bucket = Math.max(0, Math.ceil((middleOf(span) - anchor) / stepMs) - 1);
    return Math.min(anchor + (bucket + 1) * stepMs, options.toMs ?? Number.POSITIVE_INFINITY, runEndMs);
  };
}

/** Where the buckets start: `from`, else the run's start, else the start (or end) of the first push inside. */
function gridAnchorMs(runStart: WindowStart | undefined, window: TimeWindow, inside: readonly Span[]): number | undefined {
  if (window.fromMs !== undefined) return window.fromMs;
  if (runStart) return Date.parse(runStart.timestamp);
  const first = inside[0];
  return first === undefined ? undefined : (first.startMs ?? first.endMs);
}
