// The live table drawn on a terminal while a run is in progress.
import { isTerminalStatus } from './_status.js';
import { renderEndpointTable } from './_endpoint-table.js';
import { createPalette, type Palette } from './_palette.js';
import { fitSegments, type Segment } from './_segments.js';
import { formatClock, formatDuration } from './format.js';
import type { LiveView } from './live-view.js';

const BAR_CELLS = 16;

export function renderLiveFrame(view: LiveView, options: { color: boolean; width: number }): string[] {
  const palette = createPalette(options.color);
  const header = fitSegments(headerSegments(view, palette), options.width);
  if (!view.metrics) {
    return [header, palette.dim(fitSegments([{ text: `waiting for Locust… (${view.status})` }], options.width))];
  }
  return [header, ...renderEndpointTable(view.metrics, { palette, width: options.width })];
}

function headerSegments(view: LiveView, palette: Palette): Segment[] {
  const users = view.metrics?.currentUsers ?? 0;
  const remaining = Math.max(0, view.durationSeconds - view.elapsedSeconds);
  const segments: Segment[] = [
    { text: view.testName, paint: palette.bold, shrinkable: true },
    { text: `run ${view.runId}`, dropRank: 3 },
    { text: view.status, paint: (text) => palette.status(view.status, text) },
    { text: `users ${users}/${view.targetUsers}` },
    { text: `${formatClock(view.elapsedSeconds)} / ${formatClock(view.durationSeconds)}` },
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
