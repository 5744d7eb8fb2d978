import type { Histogram, MetricsSnapshot } from './types.js';

/**
 * A push's histogram is the plugin's buckets since the last push it saw acknowledged
 * (`histogramBaseSeq`). A push stored but never acknowledged (a read timeout, a refused
 * retry) is then also inside the next push's histogram: counted twice (docs/RELIABILITY.md,
 * bug 3). The control plane knows which seqs it stored, so it takes them out again.
 */

/** Seqs stored after the plugin's base and before this push: their buckets are in this push's delta too. */
export function overlappingSeqs(storedSeqs: readonly number[], baseSeq: number, seq: number): number[] {
  return storedSeqs.filter((stored) => stored > baseSeq && stored < seq);
}

/** The push's histogram without the buckets already stored; a bucket never goes below zero (a stats reset restarts the counts). */
export function histogramWithout(histogram: Histogram, stored: readonly Histogram[]): Histogram {
  const rest: Histogram = { ...histogram };
  for (const already of stored) {
    for (const [bucket, count] of Object.entries(already)) {
      if (rest[bucket] !== undefined) rest[bucket] = Math.max(0, rest[bucket]! - count);
    }
  }
  return Object.fromEntries(Object.entries(rest).filter(([, count]) => count > 0));
}

/**
 * The push as if the plugin had seen the stored ones acknowledged: its histogram without theirs,
 * its interval starting where the last of them ended, its rates over that interval. `stored` are
 * the pushes between its base and itself, in seq order.
 */
export function pushWithoutOverlap(push: MetricsSnapshot, stored: readonly MetricsSnapshot[]): MetricsSnapshot {
  const last = stored.at(-1);
  if (!last) return push;
  const corrected: MetricsSnapshot = { ...push, histogram: histogramWithout(push.histogram, stored.map((metrics) => metrics.histogram)) };
  const from = last.intervalEnd ?? last.timestamp;
  const to = push.intervalEnd ?? push.timestamp;
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  if (push.intervalStart === undefined || !(seconds > 0)) return corrected;
  // a rate is the requests since the last stored push over the time since then (a stats reset counts from zero)
  const rate = (now: number, before: number | undefined): number => (now >= (before ?? 0) ? now - (before ?? 0) : now) / seconds;
  corrected.intervalStart = from;
  corrected.totalRps = rate(push.totalRequests, last.totalRequests);
  corrected.requestStats = Object.fromEntries(
    Object.entries(push.requestStats).map(([key, stats]) => [key, { ...stats, requestsPerSec: rate(stats.numRequests, last.requestStats[key]?.numRequests) }]),
  );
  return corrected;
}

/**
 * A push older than one already stored, from a plugin that names its base: the newer push
 * already covers its interval (the plugin sends one push at a time), so it changes nothing.
 */
export function isSupersededPush(seq: number, lastStoredSeq: number | undefined): boolean {
  return lastStoredSeq !== undefined && seq < lastStoredSeq;
}
