// The summary printed once a run is over (and by `loadctl show`).
import { endedByShape, formatStages, plannedSecondsOf } from '../../domain/load-shape.js';
import { stoppedByThreshold, thresholdAbortOf } from '../../domain/thresholds.js';
import type { ErrorEntry, Run } from '../../domain/types.js';
import { dynamicNameHint } from './_dynamic-names.js';
import { renderEndpointTable } from './_endpoint-table.js';
import { exceptionLines } from './_exception-lines.js';
import { createPalette, type Palette } from './_palette.js';
import { truncateEnd } from './_text.js';
import { formatCount, formatDuration, formatLocalDateTime, plural, secondsBetween } from './format.js';

const TOP_ERRORS = 5;
const ERROR_TEXT_WIDTH = 100;

export function renderRunSummary(run: Run, options: { color: boolean; testName?: string; width?: number }): string {
  const palette = createPalette(options.color);
  const metrics = run.finalMetrics ?? run.lastMetrics;
  const lines = [statusLine(run, options.testName, palette), durationLine(run), usersLine(run), ...workerLines(run)];

  if (!metrics) {
    const why = run.status === 'Failed' ? 'the run failed before Locust reported any' : 'Locust has not reported any yet';
    lines.push('', palette.dim(`No metrics recorded: ${why}.`));
    return lines.join('\n');
  }
  lines.push('', ...renderEndpointTable(metrics, { palette, width: options.width }));
  const hint = dynamicNameHint(Object.values(metrics.requestStats));
  if (hint.length > 0) lines.push('', ...hint.map((line, index) => (index === 0 ? palette.bold(line) : line)));
  if (metrics.errors.length > 0) lines.push('', ...errorLines(metrics.errors, palette));
  if (metrics.exceptions?.length) lines.push('', ...exceptionLines(metrics.exceptions, palette));
  return lines.join('\n');
}

function statusLine(run: Run, testName: string | undefined, palette: Palette): string {
  const title = palette.bold(testName ? `${testName} · run ${run.id}` : `Run ${run.id}`);
  return `${title}  ${palette.status(run.status)}${statusNote(run)}`;
}

function statusNote(run: Run): string {
  if (run.status === 'Failed') return `: ${run.error ?? 'no reason recorded'}`;
  if (run.status === 'Finished' && endedByShape(run)) return ` (the load shape ended: ${run.shape?.kind === 'stages' ? 'its stages are done' : (run.shape?.name ?? 'its tick() returned None')})`;
  if (run.status === 'Finished' && run.autoStopped) return ' (stopped automatically when the duration elapsed)';
  if (stoppedByThreshold(run)) return ` (stopped early, ${thresholdAbortOf(run)})`;
  if (run.status === 'Stopped') return ' (stopped on request before the duration elapsed)';
  return run.error ? `: ${run.error}` : '';
}

function durationLine(run: Run): string {
  // a script's shape decides its own length: its duration is only an upper bound
  const byShape = run.shape?.kind === 'script';
  const planned = byShape ? `the load shape decides, at most ${formatDuration(run.durationSeconds)}` : `planned ${formatDuration(plannedSecondsOf(run))}`;
  if (!run.startedAt) return `  Duration  never started (${planned})`;
  const started = `started ${formatLocalDateTime(new Date(run.startedAt))}`;
  const actual = secondsBetween(run.startedAt, run.finishedAt);
  if (actual === undefined) return `  Duration  still running (${planned}), ${started}`;
  if (byShape) return `  Duration  ${formatDuration(actual)} (${planned}), ${started}`;
  return `  Duration  ${formatDuration(actual)} of ${formatDuration(plannedSecondsOf(run))} planned, ${started}`;
}

/** Distributed runs: each worker (host, users, state) and what happened to them. */
function workerLines(run: Run): string[] {
  const asked = (run.workers ?? 0) + (run.expectRemoteWorkers ?? 0);
  if (asked === 0 && !run.workerNodes?.length) return [];
  const how = [run.workers ? `${run.workers} local` : '', run.expectRemoteWorkers ? `${run.expectRemoteWorkers} remote` : ''].filter(Boolean).join(' + ');
  const nodes = (run.workerNodes ?? []).map((worker) => `${worker.host} ${plural(worker.users, 'user')}${worker.state === 'lost' ? ' (lost)' : ''}`);
  const lines = [`  Workers   ${how || plural(nodes.length, 'worker')} (Locust master + workers)${nodes.length ? `: ${nodes.join(', ')}` : ''}`];
  for (const event of run.events ?? []) lines.push(`  Event     ${formatLocalDateTime(new Date(event.at))}  ${event.message}`);
  return lines;
}

function usersLine(run: Run): string {
  if (run.shape?.stages) return `  Users     stages ${formatStages(run.shape.stages)} (load shape) against ${run.targetUrl}`;
  if (run.shape) return `  Users     as the script's load shape ${run.shape.name} decides against ${run.targetUrl}`;
  return `  Users     ${plural(run.targetUsers, 'user')} (spawn rate ${run.spawnRate}/s) against ${run.targetUrl}`;
}

function errorLines(errors: ErrorEntry[], palette: Palette): string[] {
  const sorted = [...errors].sort((a, b) => b.occurrences - a.occurrences);
  const shown = sorted.slice(0, TOP_ERRORS).map((entry) => {
    // Locust error texts can be tracebacks: the first line says what happened.
    const text = truncateEnd((entry.error.split('\n')[0] ?? '').trim(), ERROR_TEXT_WIDTH);
    return `  ${palette.failures(`${formatCount(entry.occurrences)}×`, entry.occurrences)} ${entry.method} ${entry.name}: ${text}`;
  });
  const hidden = sorted.length - shown.length;
  return [
    palette.bold(`Top errors${sorted.length > TOP_ERRORS ? ` (${TOP_ERRORS} of ${sorted.length})` : ''}`),
    ...shown,
    ...(hidden > 0 ? [palette.dim(`  … and ${plural(hidden, 'more kind', 'more kinds')} of error`)] : []),
  ];
}
