// The span of time each push covers, and what a run's pushes say about it as a whole.
// Definitions: docs/METRICS.md.
import type { MetricsSnapshot } from './types.js';

type Stamped = Pick<MetricsSnapshot, 'timestamp' | 'intervalEnd'>;

/** Where a push's interval ends: its intervalEnd, else (a push stored before loadctl sent one) its timestamp. */
export function intervalEndMs(push: Stamped): number {
  return Date.parse(push.intervalEnd ?? push.timestamp);
}

/**
 * Where a push's interval starts, given the push before it (or the run's start): its own
 * intervalStart, but never before the end of the push before, since its counts are taken
 * from there; an old push without one starts where the one before ended. Undefined when
 * nothing says (an old first push of a run whose start is unknown).
 */
export function intervalStartMs(push: Pick<MetricsSnapshot, 'intervalStart'>, before?: Stamped): number | undefined {
  const own = push.intervalStart === undefined ? undefined : Date.parse(push.intervalStart);
  const previousEnd = before === undefined ? undefined : intervalEndMs(before);
  if (own === undefined) return previousEnd;
  return previousEnd === undefined ? own : Math.max(own, previousEnd);
}

/** The most users the plugin saw running, from each push's peakUsers (its currentUsers in older pushes). */
export function peakUsersOf(pushes: readonly Pick<MetricsSnapshot, 'currentUsers' | 'peakUsers'>[]): number {
  return Math.max(0, ...pushes.map((push) => Math.max(push.peakUsers ?? 0, push.currentUsers)));
}

/**
 * Seconds of load a push's cumulative totals cover: from the test start to the end of its
 * interval. Undefined when the start is unknown or the span is empty.
 */
export function loadSecondsOf(startedAt: string | undefined, push: Stamped | undefined): number | undefined {
  if (startedAt === undefined || push === undefined) return undefined;
  const seconds = (intervalEndMs(push) - Date.parse(startedAt)) / 1000;
  return seconds > 0 ? seconds : undefined;
}
