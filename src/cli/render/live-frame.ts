// The live table drawn on a terminal while a run is in progress.
// It always fits the terminal: the status line first, then as many endpoints as there is
// room for (the busiest), so nothing scrolls away and no redraw leaves a copy behind.
import { isTerminalStatus } from './_status.js';
import { minTableLines, renderEndpointTable } from './_endpoint-table.js';
import { createPalette, type Palette } from './_palette.js';
import { fitSegments, type Segment } from './_segments.js';
import { capAtMax, failureRatio, formatClock, formatCount, formatDuration, formatMs, formatPercent, formatRps, plural } from './format.js';
import type { LiveView } from './live-view.js';
import { durationText, usersText } from './_shape-text.js';
import type { MetricsSnapshot } from '../../domain/types.js';

const BAR_CELLS = 16;

/** The frame, at most `height` lines (default: unbounded) of at most `width` columns. */
export function renderLiveFrame(view: LiveView, options: { color: boolean; width: number; height?: number }): string[] {
  const palette = createPalette(options.color);
  const height = Math.max(1, options.height ?? Infinity);
  const header = fitSegments(headerSegments(view, palette), options.width);
  const metrics = view.metrics;
  if (!metrics) {
    return [header, palette.dim(fitSegments([{ text: `waiting for Locust… (${view.status})` }], options.width))].slice(0, height);
  }
  const endpointCount = Object.keys(metrics.requestStats).length;
  if (height - 1 < minTableLines(endpointCount)) {
    // Too short for a table: the totals on one line still say how the run goes.
    return [header, fitSegments(totalsSegments(metrics, endpointCount), options.width)].slice(0, height);
  }
  return [header, ...renderEndpointTable(metrics, { palette, width: options.width, maxLines: height - 1 })];
}

function totalsSegments(metrics: MetricsSnapshot, endpointCount: number): Segment[] {
  const max = Math.max(0, ...Object.values(metrics.requestStats).map((stats) => stats.maxResponseTime));
  const p95 = capAtMax(metrics.p95ResponseMs, endpointCount > 0 ? max : undefined);
  return [
    { text: plural(metrics.totalRequests, 'request') },
    { text: `${formatCount(metrics.totalFailures)} failed (${formatPercent(failureRatio(metrics.totalFailures, metrics.totalRequests))})` },
    { text: `${formatRps(metrics.totalRps)} rps`, dropRank: 2 },
    { text: `p95 ${formatMs(p95)} ms`, dropRank: 3 },
    { text: plural(endpointCount, 'endpoint'), dropRank: 1 },
  ];
}

function headerSegments(view: LiveView, palette: Palette): Segment[] {
  const users = view.metrics?.currentUsers ?? 0;
  const remaining = Math.max(0, view.durationSeconds - view.elapsedSeconds);
  const segments: Segment[] = [
    { text: view.testName, paint: palette.bold, shrinkable: true },
    { text: `run ${view.runId}`, dropRank: 3 },
    { text: view.status, paint: (text) => palette.status(view.status, text) },
    { text: usersText(users, view.targetUsers, view.shape, view.metrics) },
    { text: `${formatClock(view.elapsedSeconds)} / ${durationText(view.durationSeconds, view.shape)}` },
  ];
  const exceptions = view.metrics?.totalExceptions ?? 0;
  if (exceptions > 0) segments.push({ text: `exceptions ${exceptions}`, paint: (text) => palette.failures(text, exceptions) });
  if (!isTerminalStatus(view.status)) segments.push({ text: `${formatDuration(remaining)} left`, dropRank: 2 });
  segments.push({ text: progressBar(view.elapsedSeconds, view.durationSeconds), dropRank: 1 });
  return segments;
}

function progressBar(elapsedSeconds: number, durationSeconds: number): string {
  const fraction = durationSeconds > 0 ? Math.min(1, Math.max(0, elapsedSeconds / durationSeconds)) : 0;
  const filled = Math.round(fraction * BAR_CELLS);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)} ${Math.round(fraction * 100)}%`;
}
