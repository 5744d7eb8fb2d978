// One line per metrics push when stdout is not a terminal (CI logs): no colour, no redraw.
import { failureRatio, formatClock, formatCount, formatMs, formatPercent, formatRps, msDecimalsFor } from './format.js';
import type { LiveView } from './live-view.js';

export function formatPlainLine(view: LiveView): string {
  const clock = `[${formatClock(view.elapsedSeconds)}/${formatClock(view.durationSeconds)}]`;
  // "Running" is the normal case; any other status is worth a word in the log.
  const status = view.status === 'Running' ? '' : ` ${view.status} |`;
  const metrics = view.metrics;
  if (!metrics) return `${clock}${status} waiting for Locust…`;

  const ms = msDecimalsFor([metrics.p50ResponseMs, metrics.p95ResponseMs, metrics.p99ResponseMs]);
  const parts = [
    `users ${formatCount(metrics.currentUsers)}/${formatCount(view.targetUsers)}`,
    `reqs ${formatCount(metrics.totalRequests)}`,
    `fails ${formatCount(metrics.totalFailures)} (${formatPercent(failureRatio(metrics.totalFailures, metrics.totalRequests))})`,
    `rps ${formatRps(metrics.totalRps)}`,
    `p50 ${formatMs(metrics.p50ResponseMs, ms)} ms`,
    `p95 ${formatMs(metrics.p95ResponseMs, ms)} ms`,
    `p99 ${formatMs(metrics.p99ResponseMs, ms)} ms`,
  ];
  return `${clock}${status} ${parts.join(' | ')}`;
}
