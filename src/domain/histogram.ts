import type { Histogram } from './types.js';

/** Adds histograms bucket by bucket (the histograms of consecutive pushes make the window's). */
export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged: Histogram = {};
  for (const histogram of histograms) {
    for (const [bucket, count] of Object.entries(histogram)) {
      merged[bucket] = (merged[bucket] ?? 0) + count;
    }
  }
  return merged;
}

export function countOf(histogram: Histogram): number {
  return Object.values(histogram).reduce((sum, count) => sum + count, 0);
}

/**
 * The response time at `percent` (0..1), computed exactly as Locust's
 * `calculate_response_time_percentile` does from its bucketed `response_times`, so a
 * recomputed percentile equals the one Locust reports. Returns 0 for an empty histogram.
 */
export function percentileOf(histogram: Histogram, percent: number): number {
  const total = countOf(histogram);
  const requestsWithin = Math.floor(total * percent);
  const slowestFirst = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => b - a);
  let processed = 0;
  for (const bucket of slowestFirst) {
    processed += histogram[String(bucket)] ?? 0;
    if (total - processed <= requestsWithin) return bucket;
  }
  return 0;
}
