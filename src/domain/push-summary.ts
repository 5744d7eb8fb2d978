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
  return storedPushOf(snapshot).summary;
}

/** The push's summary, and its histogram as pairs when it can be (pairsOf), each worked out once. */
export function storedPushOf(snapshot: MetricsSnapshot): { summary: PushSummary; pairs: HistogramPairs | undefined } {
  const fields: Partial<PushFields> = {};
  for (const field of FIELDS) {
    if (snapshot[field] !== undefined) (fields as Record<string, unknown>)[field] = snapshot[field];
  }
  const histogram = snapshot.histogram ?? {};
  const pairs = pairsOf(histogram);
  return { summary: { ...(fields as PushFields), histogramStats: histogramStatsOf([pairs ?? histogram]) }, pairs };
}

/**
 * A histogram as one array of (bucket, count) pairs, [b0, c0, b1, c1, …]: what a store can keep
 * in binary and read back without parsing. Only for histograms whose buckets are numbers
 * written the canonical way ("110", not "0110") and whose counts are integers (pairsOf), so
 * that a bucket's number stands for its text exactly.
 */
export type HistogramPairs = readonly number[];

/** A push's histogram as a store reads it back: its pairs, or the map itself. */
export type StoredHistogram = Histogram | HistogramPairs;

/** The histogram as pairs, or undefined when a bucket or a count cannot be one exactly. */
export function pairsOf(histogram: Histogram): HistogramPairs | undefined {
  const pairs: number[] = [];
  for (const bucket of Object.keys(histogram)) {
    const value = Number(bucket);
    const count = histogram[bucket];
    if (!Number.isFinite(value) || String(value) !== bucket || !Number.isSafeInteger(count)) return undefined;
    pairs.push(value, count!);
  }
  return pairs;
}

/**
 * Count and percentiles of merged histograms: the window's, or one push's. The same numbers as
 * countOf and percentileOf on mergeHistograms(histograms) (the walk of Locust's percentile),
 * merged in a Map: buckets are digit strings and counts integers (the callback schema), so
 * neither the order of the sum nor that of the buckets changes a result. Pairs are merged by
 * their numbers, which stand for their buckets' texts one to one (pairsOf).
 */
export function histogramStatsOf(histograms: readonly StoredHistogram[]): HistogramStats {
  if (histograms.length > 0 && histograms.every(isPairs)) return statsOfPairs(histograms as HistogramPairs[]);
  const maps = histograms.map(toHistogram);
  // One histogram (every push, when it is stored) is read as it is: merging it would copy it.
  const merged: ReadonlyMap<string, number> | Histogram = maps.length === 1 ? maps[0]! : mergedOf(maps);
  const buckets = merged instanceof Map ? Array.from(merged.keys()) : Object.keys(merged);
  const countAt = merged instanceof Map ? (bucket: string) => merged.get(bucket) : (bucket: string) => (merged as Histogram)[bucket];
  let count = 0;
  for (const bucket of buckets) count += countAt(bucket)!;
  const [p50, p95, p99] = percentilesOf(count, buckets.map(Number), (bucket) => countAt(String(bucket)), [0.5, 0.95, 0.99]);
  return { count, p50, p95, p99 };
}

function isPairs(histogram: StoredHistogram): histogram is HistogramPairs {
  return Array.isArray(histogram);
}

function statsOfPairs(histograms: readonly HistogramPairs[]): HistogramStats {
  // A bucket's number stands for its text one to one, so each number is one bucket: the walk
  // adds each bucket's requests once, in order, as percentileOf's lookups do.
  let buckets: number[] = [];
  let counts: number[] = [];
  if (histograms.length === 1) {
    const pairs = histograms[0]!;
    for (let index = 0; index < pairs.length; index += 2) {
      buckets.push(pairs[index]!);
      counts.push(pairs[index + 1]!);
    }
  } else {
    const merged = new Map<number, number>();
    for (const pairs of histograms) {
      for (let index = 0; index < pairs.length; index += 2) merged.set(pairs[index]!, (merged.get(pairs[index]!) ?? 0) + pairs[index + 1]!);
    }
    buckets = Array.from(merged.keys());
    counts = Array.from(merged.values());
  }
  let count = 0;
  for (const requests of counts) count += requests;
  const slowestFirst = buckets.map((_, index) => index).sort((a, b) => buckets[b]! - buckets[a]!);
  const within = [Math.floor(count * 0.5), Math.floor(count * 0.95), Math.floor(count * 0.99)];
  const found: (number | undefined)[] = [undefined, undefined, undefined];
  let processed = 0;
  let missing = 3;
  for (const index of slowestFirst) {
    if (missing === 0) break;
    processed += counts[index]!;
    for (let which = 0; which < 3; which += 1) {
      if (found[which] === undefined && count - processed <= within[which]!) {
        found[which] = buckets[index];
        missing -= 1;
      }
    }
  }
  return { count, p50: found[0] ?? 0, p95: found[1] ?? 0, p99: found[2] ?? 0 };
}

/** The histogram a stored one stands for. */
export function toHistogram(stored: StoredHistogram): Histogram {
  return isPairs(stored) ? mapOfPairs(stored) : stored;
}

function mapOfPairs(pairs: HistogramPairs): Histogram {
  const histogram: Histogram = {};
  for (let index = 0; index < pairs.length; index += 2) histogram[String(pairs[index])] = pairs[index + 1]!;
  return histogram;
}

function mergedOf(histograms: readonly Histogram[]): Map<string, number> {
  const merged = new Map<string, number>();
  for (const histogram of histograms) {
    for (const bucket of Object.keys(histogram)) merged.set(bucket, (merged.get(bucket) ?? 0) + histogram[bucket]!);
  }
  return merged;
}

/** percentileOf at each percent, with one sort and one walk of the buckets (their numbers; countAt reads a bucket's requests). */
function percentilesOf(
  total: number,
  buckets: number[],
  countAt: (bucket: number) => number | undefined,
  percents: readonly [number, number, number],
): [number, number, number] {
  const within = percents.map((percent) => Math.floor(total * percent));
  const found: (number | undefined)[] = [undefined, undefined, undefined];
  const slowestFirst = buckets.sort((a, b) => b - a);
  let processed = 0;
  let missing: number = percents.length;
  for (const bucket of slowestFirst) {
    if (missing === 0) break;
    processed += countAt(bucket) ?? 0;
    for (let index = 0; index < 3; index += 1) {
      if (found[index] === undefined && total - processed <= within[index]!) {
        found[index] = bucket;
        missing -= 1;
      }
    }
  }
  return [found[0] ?? 0, found[1] ?? 0, found[2] ?? 0];
}
