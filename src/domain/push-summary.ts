// What a timeseries needs of one push, kept beside the push when it is stored so that a
// run's timeseries reads a few hundred bytes per push instead of the whole document (its
// per-endpoint rows, errors and exceptions), and no histogram where a point is one push.
import type { Histogram, MetricsSnapshot } from './types.js';

/** A push's own fields a point reads (its interval, cumulative totals, users, own percentiles). */
export type PushFields = Pick<
  MetricsSnapshot,
  | 'seq'
  | 'timestamp'
  | 'intervalStart'
  | 'intervalEnd'
  | 'totalRequests'
  | 'totalFailures'
  | 'currentUsers'
  | 'targetUsers'
  | 'p50ResponseMs'
  | 'p95ResponseMs'
  | 'p99ResponseMs'
  | 'maxResponseMs'
>;

/** Its interval histogram's count and percentiles, computed as a one-push window computes them. */
export interface HistogramStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export type PushSummary = PushFields & { histogramStats: HistogramStats };

const FIELDS: readonly (keyof PushFields)[] = [
  'seq',
  'timestamp',
  'intervalStart',
  'intervalEnd',
  'totalRequests',
  'totalFailures',
  'currentUsers',
  'targetUsers',
  'p50ResponseMs',
  'p95ResponseMs',
  'p99ResponseMs',
  'maxResponseMs',
];

/** The summary of a push, derived from it alone (stored with it, or computed from an older push stored without one). */
export function summarizePush(snapshot: MetricsSnapshot): PushSummary {
  const fields: Partial<PushFields> = {};
  for (const field of FIELDS) {
    if (snapshot[field] !== undefined) (fields as Record<string, unknown>)[field] = snapshot[field];
  }
  return { ...(fields as PushFields), histogramStats: histogramStatsOf([snapshot.histogram ?? {}]) };
}

/**
 * Count and percentiles of merged histograms: the window's, or one push's. The same numbers as
 * countOf and percentileOf on mergeHistograms(histograms) (the walk of Locust's percentile),
 * merged in a Map: buckets are digit strings and counts integers (the callback schema), so
 * neither the order of the sum nor that of the buckets changes a result.
 */
export function histogramStatsOf(histograms: readonly Histogram[]): HistogramStats {
  // One histogram (every push, when it is stored) is read as it is: merging it would copy it.
  const merged: ReadonlyMap<string, number> | Histogram = histograms.length === 1 ? histograms[0]! : mergedOf(histograms);
  const buckets = merged instanceof Map ? Array.from(merged.keys()) : Object.keys(merged);
  const countAt = merged instanceof Map ? (bucket: string) => merged.get(bucket) : (bucket: string) => (merged as Histogram)[bucket];
  let count = 0;
  for (const bucket of buckets) count += countAt(bucket)!;
  const [p50, p95, p99] = percentilesOf(count, buckets, countAt, [0.5, 0.95, 0.99]);
  return { count, p50, p95, p99 };
}

function mergedOf(histograms: readonly Histogram[]): Map<string, number> {
  const merged = new Map<string, number>();
  for (const histogram of histograms) {
    for (const bucket of Object.keys(histogram)) merged.set(bucket, (merged.get(bucket) ?? 0) + histogram[bucket]!);
  }
  return merged;
}

/** percentileOf at each percent, with one sort and one walk of the buckets. */
function percentilesOf(
  total: number,
  buckets: readonly string[],
  countAt: (bucket: string) => number | undefined,
  percents: readonly [number, number, number],
): [number, number, number] {
  const within = percents.map((percent) => Math.floor(total * percent));
  const found: (number | undefined)[] = [undefined, undefined, undefined];
  const slowestFirst = buckets.map(Number).sort((a, b) => b - a);
  let processed = 0;
  let missing: number = percents.length;
  for (const bucket of slowestFirst) {
    if (missing === 0) break;
    processed += countAt(String(bucket)) ?? 0;
    for (let index = 0; index < 3; index += 1) {
      if (found[index] === undefined && total - processed <= within[index]!) {
        found[index] = bucket;
        missing -= 1;
      }
    }
  }
  return [found[0] ?? 0, found[1] ?? 0, found[2] ?? 0];
}
