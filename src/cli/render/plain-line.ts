// One line per metrics push when stdout is not a terminal (CI logs): no colour, no redraw.
import { failureRatio, formatClock, formatCount, formatMs, formatPercent, formatRps } from './format.js';
import type { LiveView } from './live-view.js';

export function formatPlainLine(view: LiveView): string {
  const clock = `[${formatClock(view.elapsedSeconds)}/${formatClock(view.durationSeconds)}]`;
  // "Running" is the normal case; any other status is worth a word in the log.
  const status = view.status === 'Running' ? '' : ` ${view.status} |`;
  const metrics = view.metrics;
  if (!metrics) return `${clock}${status} waiting for Locust…`;

  const parts = [
    `users ${formatCount(metrics.currentUsers)}/${formatCount(view.targetUsers)}`,
    `reqs ${formatCount(metrics.totalRequests)}`,
    `fails ${formatCount(metrics.totalFailures)} (${formatPercent(failureRatio(metrics.totalFailures, metrics.totalRequests))})`,
    `rps ${formatRps(metrics.totalRps)}`,
    `p50 ${formatMs(metrics.p50ResponseMs)} ms`,
    `p95 ${formatMs(metrics.p95ResponseMs)} ms`,
    `p99 ${formatMs(metrics.p99ResponseMs)} ms`,
    // Only when a task raised: a script bug is news, its absence is not.
    ...(metrics.totalExceptions ? [`exceptions ${formatCount(metrics.totalExceptions)}`] : []),
  ];
  return `${clock}${status} ${parts.join(' | ')}`;
}
