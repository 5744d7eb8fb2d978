import { describe, expect, it } from 'vitest';
import { formatLocalDateTime } from '../../../src/cli/render/format.js';
import { NO_RUNS_MESSAGE, renderRunsTable } from '../../../src/cli/render/runs-table.js';
import { ANSI, makeMetricsSnapshot, makeRun } from './_fixtures.js';

const now = new Date('2026-11-28T10:04:00.000Z');
const cellsOf = (line: string | undefined) => line?.split('│').map((cell) => cell.trim()).slice(1, -1);

describe('renderRunsTable', () => {
  it('has a friendly line when there are no runs', () => {
    expect(renderRunsTable([], { color: false, now })).toBe(NO_RUNS_MESSAGE);
    expect(NO_RUNS_MESSAGE).toBe('No runs yet. Start one with: loadctl run --duration 30 --users 5');
  });

  it('has the columns ID, Test, Status, Verdict, Started, Duration, Users, Requests, Fail %, p95 ms', () => {
    const lines = renderRunsTable([makeRun()], { color: false, now }).split('\n');
    expect(cellsOf(lines[1])).toEqual(['ID', 'Test', 'Status', 'Verdict', 'Started', 'Duration', 'Users', 'Requests', 'Fail %', 'p95 ms']);
  });

  it('shows a finished run with its actual duration and final numbers', () => {
    const run = { ...makeRun(), testName: 'products-api' };
    const lines = renderRunsTable([run], { color: false, now }).split('\n');
    const started = formatLocalDateTime(new Date(run.startedAt!));
    expect(cellsOf(lines[3])).toEqual(
      ['r_7f3a9c', 'products-api', 'Finished', '–', `${started} (3m ago)`, '30s', '5', '1,234', '0.2%', '40'],
    );
  });

  it('shows the planned duration and dashes for a run without metrics, and the test id without a name', () => {
    const run = makeRun({ id: 'r_2', status: 'Starting', startedAt: undefined, finishedAt: undefined, finalMetrics: undefined });
    const cells = cellsOf(renderRunsTable([run], { color: false, now }).split('\n')[3]);
    expect(cells?.slice(0, 4)).toEqual(['r_2', 't_products', 'Starting', '–']);
    expect(cells?.[4]).toMatch(/\(3m ago\)$/);
    expect(cells?.slice(5)).toEqual(['30s planned', '5', '–', '–', '–']);
  });

  it('uses the last metrics of a run still in progress', () => {
    const run = makeRun({
      status: 'Running',
      finishedAt: undefined,
      finalMetrics: undefined,
      lastMetrics: makeMetricsSnapshot({ totalRequests: 10, totalFailures: 0, p95ResponseMs: 22 }),
    });
    expect(cellsOf(renderRunsTable([run], { color: false, now }).split('\n')[3])?.slice(7)).toEqual(['10', '0.0%', '22']);
  });

  it('shows each run’s verdict in words, not only in colour', () => {
    const runs = [makeRun({ id: 'r_pass', verdict: 'passed' }), makeRun({ id: 'r_fail', verdict: 'failed' })];
    const lines = renderRunsTable(runs, { color: false, now }).split('\n');
    expect([cellsOf(lines[3])?.[3], cellsOf(lines[4])?.[3]]).toEqual(['passed', 'FAILED']);
    expect(renderRunsTable(runs, { color: true, now })).toContain('\x1b[31mFAILED\x1b[39m');
  });

  it('keeps the order it was given, one row per run', () => {
    const runs = [makeRun({ id: 'r_new' }), makeRun({ id: 'r_old', status: 'Failed', error: 'boom' })];
    const lines = renderRunsTable(runs, { color: false, now }).split('\n');
    expect([cellsOf(lines[3])?.[0], cellsOf(lines[4])?.[0]]).toEqual(['r_new', 'r_old']);
  });

  it('colours only when asked', () => {
    const runs = [makeRun({ status: 'Failed' })];
    expect(renderRunsTable(runs, { color: false, now })).not.toMatch(ANSI);
    expect(renderRunsTable(runs, { color: true, now })).toContain('\x1b[31mFailed\x1b[39m');
  });
});
