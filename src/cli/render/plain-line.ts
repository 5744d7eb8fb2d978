// One line per metrics push when stdout is not a terminal (CI logs): no colour, no redraw.
import { failureRatio, formatClock, formatCount, formatMs, formatPercent, formatRps, msDecimalsFor } from './format.js';
import type { LiveView } from './live-view.js';
import { durationText, usersText } from './_shape-text.js';
import { totalPercentilesOf } from '../../domain/metric-definitions.js';

export function formatPlainLine(view: LiveView): string {
  const clock = `[${formatClock(view.elapsedSeconds)}/${durationText(view.durationSeconds, view.shape)}]`;
  // "Running" is the normal case; any other status is worth a word in the log.
  const status = view.status === 'Running' ? '' : ` ${view.status} |`;
  const metrics = view.metrics;
  if (!metrics) return `${clock}${status} waiting for Locust…`;

  const { p50, p95, p99 } = totalPercentilesOf(metrics);
  const ms = msDecimalsFor([p50, p95, p99]);
  const parts = [
    usersText(metrics.currentUsers, view.targetUsers, view.shape, metrics),
    `reqs ${formatCount(metrics.totalRequests)}`,
    `fails ${formatCount(metrics.totalFailures)} (${formatPercent(failureRatio(metrics.totalFailures, metrics.totalRequests))})`,
    `rps ${formatRps(metrics.totalRps)}`,
    `p50 ${formatMs(p50, ms)} ms`,
    `p95 ${formatMs(p95, ms)} ms`,
    `p99 ${formatMs(p99, ms)} ms`,
    // Only when a task raised: a script bug is news, its absence is not.
    ...(metrics.totalExceptions ? [`exceptions ${formatCount(metrics.totalExceptions)}`] : []),
  ];
  return `${clock}${status} ${parts.join(' | ')}`;
}
