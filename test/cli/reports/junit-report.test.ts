import { parse, type TestCase, type TestSuite, type TestSuites } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { evaluateThresholds, parseThreshold } from '../../../src/domain/thresholds.js';
import { renderJUnitReport } from '../../../src/cli/reports/index.js';
import { makePushes, makeReportInput, makeRun } from './_fixtures.js';

async function parseSuites(xml: string): Promise<TestSuites> {
  const parsed = await parse(xml);
  expect(parsed).toHaveProperty('testsuite');
  return parsed as TestSuites;
}

function casesOf(suite: TestSuite | undefined): TestCase[] {
  return suite?.testcase ?? [];
}

describe('renderJUnitReport', () => {
  it('has one suite per run and one case per threshold, failures carrying the observed value and the limit', async () => {
    const input = makeReportInput();
    const suites = await parseSuites(renderJUnitReport(input));
    expect(suites).toMatchObject({ name: 'loadctl', tests: 5, failures: 2, errors: 0, time: 30 });
    const [suite] = suites.testsuite!;
    expect(suite).toMatchObject({ name: 'loadctl: products (run_7f3a9c)', tests: 5, failures: 2, errors: 0, skipped: 0, timestamp: '2026-11-28T10:00:00.000Z' });
    expect(suite!.properties).toContainEqual({ name: 'status', value: 'Finished' });
    const cases = casesOf(suite);
    expect(cases.map((testCase) => [testCase.classname, testCase.name, testCase.failure ? 'failed' : 'passed'])).toEqual([
      ['products', 'p95<500ms', 'passed'],
      ['products', 'error_rate<1%', 'failed'],
      ['products', 'rps>=5', 'passed'],
      ['products', 'GET /api/products: p95<100ms', 'failed'],
      ['products', 'GET /api/search: p99<=1.2s', 'passed'],
    ]);
    expect(cases[3]!.failure![0]).toEqual({
      message: 'GET /api/products: p95 was 140 ms, limit < 100 ms',
      type: 'ThresholdFailed',
      inner: 'GET /api/products: p95 was 140 ms, limit < 100 ms',
    });
    expect(cases[1]!.failure![0]!.message).toBe('error_rate was 1.3%, limit < 1%');
  });

  it('adds a "run completed" case with an <error> holding the reason when the run Failed', async () => {
    const pushes = makePushes({ seconds: 6 });
    const run = makeRun(pushes, { status: 'Failed', autoStopped: false, error: 'Locust exited with code 1:\nImportError: No module named "faker"' });
    const verdicts = evaluateThresholds([parseThreshold('p95<500ms')], run, pushes);
    const [suite] = (await parseSuites(renderJUnitReport({ run, testName: 'products', pushes, verdicts }))).testsuite!;
    expect(suite).toMatchObject({ tests: 2, failures: 0, errors: 1 });
    expect(casesOf(suite)[1]).toEqual({
      classname: 'products',
      name: 'run completed',
      time: 0,
      error: [{ message: 'the run failed: Locust exited with code 1:', type: 'RunFailed', inner: 'Locust exited with code 1:\nImportError: No module named "faker"' }],
    });
  });

  it('has a single passing "run completed" case when there are no thresholds', async () => {
    const [suite] = (await parseSuites(renderJUnitReport(makeReportInput({ verdicts: [] })))).testsuite!;
    expect(casesOf(suite)).toEqual([{ classname: 'products', name: 'run completed', time: 0 }]);
  });

  it('reports a Stopped run as an error too (it did not run its course)', async () => {
    const input = makeReportInput({ verdicts: [] });
    const [suite] = (await parseSuites(renderJUnitReport({ ...input, run: { ...input.run, status: 'Stopped', autoStopped: false } }))).testsuite!;
    expect(casesOf(suite)[0]!.error![0]).toMatchObject({ type: 'RunStopped' });
  });

  it('reports a run stopped by an abortOnFail threshold as a failure saying why it is short', async () => {
    const input = makeReportInput();
    const reason = 'threshold failed: error_rate was 1.3%, limit < 1%';
    const statusHistory = [...input.run.statusHistory, { from: 'Running' as const, to: 'Stopping' as const, at: '2026-11-28T10:00:12.000Z', reason }];
    const suites = await parseSuites(renderJUnitReport({ ...input, run: { ...input.run, status: 'Stopped', autoStopped: false, statusHistory } }));
    expect(suites).toMatchObject({ tests: 6, failures: 3, errors: 0 });
    expect(casesOf(suites.testsuite![0]).at(-1)).toMatchObject({ name: 'run completed', failure: [{ type: 'RunAborted', message: `the run was stopped early, ${reason}` }] });
  });

  it('escapes names and messages, and drops characters XML cannot hold', async () => {
    const input = makeReportInput();
    const nasty = 'a&b <c> "d" \'e\' ]]> \u001b[31mred\u001b[0m \u0007bell';
    const run = { ...input.run, id: 'run_<1>', status: 'Failed' as const, error: nasty };
    const verdicts = [{ ...input.verdicts[0]!, threshold: 'GET /q?a=1&b=<2>: p95<1ms', passed: false }];
    const xml = renderJUnitReport({ ...input, run, testName: 'shop & "co" </testsuite>', verdicts });
    expect(xml).not.toContain('\u001b');
    const [suite] = (await parseSuites(xml)).testsuite!;
    expect(suite!.name).toBe('loadctl: shop & "co" </testsuite> (run_<1>)');
    const [threshold, completed] = casesOf(suite);
    expect(threshold!.name).toBe('GET /q?a=1&b=<2>: p95<1ms');
    expect(completed!.error![0]!.inner).toBe('a&b <c> "d" \'e\' ]]> red \uFFFDbell');
  });

  it('puts several runs into one file, with totals over all', async () => {
    const first = makeReportInput();
    const second = makeReportInput({ verdicts: [], run: { ...first.run, id: 'run_second' }, testName: 'checkout' });
    const suites = await parseSuites(renderJUnitReport([first, second]));
    expect(suites.testsuite!.map((suite) => suite.name)).toEqual(['loadctl: products (run_7f3a9c)', 'loadctl: checkout (run_second)']);
    expect(suites).toMatchObject({ tests: 6, failures: 2, errors: 0 });
  });
});
