import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { percentileOf } from '../../../src/domain/histogram.js';
import { renderJsonReport } from '../../../src/cli/reports/index.js';
import { makePushes, makeReportInput, makeRun } from './_fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../../src/cli/reports/json-report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function expectValid(report: unknown): void {
  const valid = validate(report);
  expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
  expect(valid).toBe(true);
}

describe('renderJsonReport', () => {
  const input = makeReportInput();
  const report = renderJsonReport(input);

  it('matches its JSON Schema, also after a JSON round trip', () => {
    expectValid(report);
    expectValid(JSON.parse(JSON.stringify(report)));
  });

  it('summarises the run: status, pass/fail, duration, users and totals from the final push', () => {
    const final = input.run.finalMetrics!;
    expect(report.summary).toMatchObject({
      status: 'Finished',
      passed: false,
      thresholdsPassed: false,
      autoStopped: true,
      durationSeconds: 30,
      plannedDurationSeconds: 30,
      users: { target: 5, peak: 5 },
      source: 'final',
      requests: final.totalRequests,
      failures: final.totalFailures,
      p95ResponseMs: final.p95ResponseMs,
    });
    expect(report.run).toMatchObject({ id: 'run_7f3a9c', testName: 'products', targetUrl: 'http://127.0.0.1:8000' });
  });

  it('lists each threshold verdict with a sentence', () => {
    expect(report.thresholds.map((verdict) => [verdict.threshold, verdict.passed])).toEqual([
      ['p95<500ms', true],
      ['error_rate<1%', false],
      ['rps>=5', true],
      ['GET /api/products: p95<100ms', false],
      ['GET /api/search: p99<=1.2s', true],
    ]);
    expect(report.thresholds[3]!.message).toBe('GET /api/products: p95 was 140 ms, limit < 100 ms');
  });

  it('has one row per endpoint sorted by name, and the errors most frequent first', () => {
    expect(report.endpoints.map((row) => row.endpoint)).toEqual(['POST /api/cart/items', 'GET /api/products', 'GET /api/products/[id]', 'GET /api/search']);
    expect(report.errors.map((entry) => entry.name)).toEqual(['/api/cart/items', '/api/search']);
  });

  it('has a timeline point per push whose percentiles are the interval’s own', () => {
    const pushes = input.pushes;
    expect(report.timeline).toHaveLength(pushes.length);
    report.timeline.forEach((point, index) => {
      const push = pushes[index]!;
      expect(point.elapsedSeconds).toBe(2 * (index + 1));
      expect(point.p95ResponseMs).toBe(percentileOf(push.histogram, 0.95));
      expect(point.requests).toBe(push.totalRequests - (pushes[index - 1]?.totalRequests ?? 0));
      expect(point.failuresPerSecond).toBeCloseTo(point.failures / 2);
    });
    // The spike at 14–20 s shows in the intervals, not only in the cumulative numbers.
    expect(report.timeline[7]!.p50ResponseMs).toBeGreaterThan(3 * report.timeline[2]!.p50ResponseMs);
  });

  it('keeps only the known fields of a stored verdict', () => {
    const stored = { ...input.verdicts[0]!, _id: 'abc', evaluatedAt: '2026-11-28T10:00:31.000Z' };
    const withStored = renderJsonReport({ ...input, verdicts: [stored] });
    expectValid(withStored);
    expect(withStored.thresholds[0]).not.toHaveProperty('_id');
  });

  it('passes a finished run whose thresholds all passed', () => {
    const passing = renderJsonReport({ ...input, verdicts: input.verdicts.filter((verdict) => verdict.passed) });
    expect(passing.summary).toMatchObject({ passed: true, thresholdsPassed: true });
  });

  it('says which threshold stopped a run early, and still matches its schema', () => {
    const base = makeReportInput();
    const reason = 'threshold failed: p95 was 812 ms, limit < 500 ms';
    const statusHistory = [...base.run.statusHistory, { from: 'Running' as const, to: 'Stopping' as const, at: '2026-11-28T10:00:12.000Z', reason }];
    const report = renderJsonReport({ ...base, run: { ...base.run, status: 'Stopped', autoStopped: false, statusHistory } });
    expect(report.summary).toMatchObject({ status: 'Stopped', passed: false, stoppedEarlyBy: reason });
    expectValid(report);
    expect(renderJsonReport(base).summary).not.toHaveProperty('stoppedEarlyBy');
  });

  it('gives a shaped run its shape, its end by the shape and planned users per point, matching the schema (issue 12)', () => {
    const base = makeReportInput();
    const shape = { kind: 'stages' as const, name: 'stages', stages: [{ durationSeconds: 10, users: 5 }, { durationSeconds: 10, users: 0 }], plannedSeconds: 20 };
    const statusHistory = [...base.run.statusHistory.filter((change) => change.to !== 'Finished'), { from: 'Running' as const, to: 'Finished' as const, at: '2026-11-28T10:00:20.000Z', reason: 'the load shape ended (its stages are done)' }];
    const pushes = base.pushes.map((push, index) => ({ ...push, targetUsers: index }));
    const report = renderJsonReport({ ...base, pushes, run: { ...base.run, status: 'Finished', autoStopped: true, shape, statusHistory, durationSeconds: 23 } });
    expect(report.run.shape).toEqual(shape);
    expect(report.summary).toMatchObject({ endedBy: 'shape', plannedDurationSeconds: 20 });
    expect(report.timeline.every((point) => typeof point.plannedUsers === 'number')).toBe(true);
    expectValid(report);
    // a report of pushes stored before planned users: null, still valid
    const old = renderJsonReport(base);
    expect(old.timeline.every((point) => point.plannedUsers === null)).toBe(true);
    expect(old.summary.endedBy).toBe('duration');
    expectValid(old);
  });

  it('describes a run that failed before any metrics, still matching the schema', () => {
    const run = makeRun([], { status: 'Failed', error: 'ImportError: No module named requests_toolbelt', startedAt: undefined, finishedAt: undefined, autoStopped: false });
    const failed = renderJsonReport({ run, testName: 'products', pushes: [], verdicts: [] });
    expectValid(failed);
    expect(failed.summary).toMatchObject({ status: 'Failed', passed: false, thresholdsPassed: true, durationSeconds: null, source: 'none', requests: 0 });
    expect(failed.run.error).toContain('ImportError');
    expect(failed).not.toHaveProperty('generatedAt');
    expect(failed.timeline).toEqual([]);
  });

  it('sorts pushes by seq whatever order they arrive in', () => {
    const pushes = makePushes({ seconds: 10 });
    const shuffled = [pushes[3]!, pushes[0]!, pushes[4]!, pushes[1]!, pushes[2]!];
    const fromShuffled = renderJsonReport({ ...input, pushes: shuffled, run: makeRun(pushes) });
    expect(fromShuffled.timeline).toEqual(renderJsonReport({ ...input, pushes, run: makeRun(pushes) }).timeline);
  });
});

describe('json-report.schema.json', () => {
  it('rejects a report that drifted from it', () => {
    const report = renderJsonReport(makeReportInput()) as unknown as { summary: Record<string, unknown>; thresholds: Array<Record<string, unknown>> };
    expect(validate({ ...report, summary: { ...report.summary, p90ResponseMs: 1 } })).toBe(false);
    expect(validate({ ...report, thresholds: [{ ...report.thresholds[0], operator: '=' }] })).toBe(false);
  });
});
