// `loadctl runs`: one row per run, newest first as given by the caller.
import Table from 'cli-table3';
import type { Run } from '../../domain/types.js';
import { createPalette, type Palette } from './_palette.js';
import {
  DASH,
  failureRatio,
  formatCount,
  formatDuration,
  formatLocalDateTime,
  formatMs,
  formatPercent,
  msDecimalsFor,
  formatRelativeTime,
  secondsBetween,
} from './format.js';

export const NO_RUNS_MESSAGE = 'No runs yet. Start one with: loadctl run --duration 30 --users 5';
const HEAD = ['ID', 'Test', 'Status', 'Verdict', 'Started', 'Duration', 'Users', 'Requests', 'Fail %', 'p95 ms'];

export function renderRunsTable(runs: Array<Run & { testName?: string }>, options: { color: boolean; now: Date }): string {
  if (runs.length === 0) return NO_RUNS_MESSAGE;
  const palette = createPalette(options.color);
  const table = new Table({
    head: HEAD.map((head) => palette.bold(head)),
    colAligns: ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });

  const p95Decimals = msDecimalsFor(runs.map((run) => (run.finalMetrics ?? run.lastMetrics)?.p95ResponseMs));
  for (const run of runs) {
    const metrics = run.finalMetrics ?? run.lastMetrics;
    const startedIso = run.startedAt ?? run.createdAt;
    const started = new Date(startedIso);
    const actual = secondsBetween(run.startedAt, run.finishedAt);
    table.push([
      run.id,
      run.testName ?? run.loadTestId,
      palette.status(run.status),
      verdictCell(run, palette),
      `${formatLocalDateTime(started)} (${formatRelativeTime(started, options.now)})`,
      actual === undefined ? `${formatDuration(run.durationSeconds)} planned` : formatDuration(actual),
      formatCount(run.targetUsers),
      metrics ? formatCount(metrics.totalRequests) : DASH,
      metrics ? palette.failures(formatPercent(failureRatio(metrics.totalFailures, metrics.totalRequests)), metrics.totalFailures) : DASH,
      metrics ? formatMs(metrics.p95ResponseMs, p95Decimals) : DASH,
    ]);
  }
  return table.toString();
}

/** "passed" / "FAILED" once judged; a dash while running or when nothing was measured. */
function verdictCell(run: Pick<Run, 'verdict'>, palette: Palette): string {
  if (run.verdict === 'passed') return palette.status('Finished', 'passed');
  // Red and in capitals: the word differs, not only its colour.
  if (run.verdict === 'failed') return palette.status('Failed', 'FAILED');
  return DASH;
}
