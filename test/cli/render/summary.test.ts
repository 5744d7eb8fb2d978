import { describe, expect, it } from 'vitest';
import { renderRunSummary } from '../../../src/cli/render/summary.js';
import type { ErrorEntry } from '../../../src/domain/types.js';
import { ANSI, makeMetricsSnapshot, makeRun } from './_fixtures.js';

const plain = { color: false, testName: 'products-api' };

describe('renderRunSummary', () => {
  it('summarises a finished run: status, duration, users, table, top errors', () => {
    const lines = renderRunSummary(makeRun(), plain).split('\n');
    expect(lines[0]).toBe('products-api · run r_7f3a9c  Finished (stopped automatically when the duration elapsed)');
    expect(lines[1]).toMatch(/^ {2}Duration {2}30s of 30s planned, started \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(lines[2]).toBe('  Users     5 users (spawn rate 2/s) against http://127.0.0.1:8000');
    expect(lines.some((line) => line.startsWith('│ GET /api/products/:id'))).toBe(true);
    const total = lines.find((line) => line.includes('Total'));
    expect(total?.split('│').map((cell) => cell.trim()).slice(1, 5)).toEqual(['Total', '1,234', '3 (0.2%)', '41.2']);
    const errorsAt = lines.indexOf('Top errors');
    expect(lines.slice(errorsAt + 1)).toEqual([
      '  7× GET /api/products/:id: ConnectionResetError(104)',
      "  3× POST /api/cart/items: HTTPError('500 Server Error: Internal Server Error')",
    ]);
  });

  it('says "1 user", not "1 users"', () => {
    expect(renderRunSummary(makeRun({ targetUsers: 1, spawnRate: 0.5 }), plain).split('\n')[2]).toBe('  Users     1 user (spawn rate 0.5/s) against http://127.0.0.1:8000');
  });

  it('has no ANSI escapes when colour is off, and colours the status when on', () => {
    expect(renderRunSummary(makeRun(), plain)).not.toMatch(ANSI);
    expect(renderRunSummary(makeRun(), { color: true })).toContain('\x1b[32mFinished\x1b[39m');
  });

  it('gives the reason of a failed run that never produced metrics', () => {
    const run = makeRun({
      status: 'Failed',
      error: 'Locust exited with code 1: ImportError in the script',
      startedAt: undefined,
      finishedAt: undefined,
      autoStopped: false,
      finalMetrics: undefined,
    });
    expect(renderRunSummary(run, { color: false })).toBe(
      [
        'Run r_7f3a9c  Failed: Locust exited with code 1: ImportError in the script',
        '  Duration  never started (planned 30s)',
        '  Users     5 users (spawn rate 2/s) against http://127.0.0.1:8000',
        '',
        'No metrics recorded: the run failed before Locust reported any.',
      ].join('\n'),
    );
  });

  it('falls back to the last metrics of a stopped run and notes it was stopped', () => {
    const run = makeRun({
      status: 'Stopped',
      autoStopped: false,
      finishedAt: '2026-11-28T10:01:12.000Z',
      finalMetrics: undefined,
      lastMetrics: makeMetricsSnapshot({ totalRequests: 555, errors: [] }),
    });
    const text = renderRunSummary(run, plain);
    expect(text).toContain('Stopped (stopped on request before the duration elapsed)');
    expect(text).toContain('Duration  12s of 30s planned');
    expect(text).toMatch(/│ Total\s+│\s+555 │/);
    expect(text).not.toContain('Top errors');
  });

  it('shows at most five errors, most frequent first', () => {
    const errors: ErrorEntry[] = Array.from({ length: 7 }, (_, index) => ({
      method: 'GET',
      name: `/api/e${index}`,
      error: `Error ${index}`,
      occurrences: index + 1,
    }));
    const text = renderRunSummary(makeRun({ finalMetrics: makeMetricsSnapshot({ errors }) }), plain);
    const lines = text.split('\n');
    const at = lines.indexOf('Top errors (5 of 7)');
    expect(lines.slice(at + 1)).toEqual([
      '  7× GET /api/e6: Error 6',
      '  6× GET /api/e5: Error 5',
      '  5× GET /api/e4: Error 4',
      '  4× GET /api/e3: Error 3',
      '  3× GET /api/e2: Error 2',
      '  … and 2 more kinds of error',
    ]);
  });
});
