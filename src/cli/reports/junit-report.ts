// `--junit FILE`: CI systems show each threshold as a test case. One <testsuite> per run,
// one <testcase> per threshold; a run that did not finish adds a "run completed" case with
// an <error>, and a run without thresholds gets that case alone so the suite is never empty.
// Task exceptions (with tracebacks) are the body of the failing `exceptions` case and the
// suite's <system-err>, so a CI page shows where the script raised.
import { resultMetricsOf } from '../../domain/summary.js';
import { describeVerdict, thresholdAbortOf, thresholdLabelOf, type ThresholdVerdict } from '../../domain/thresholds.js';
import type { ExceptionEntry } from '../../domain/types.js';
import { secondsBetween } from '../render/format.js';
import type { ReportInput, ReportRun } from './report-input.js';
import { escapeXml, xmlAttributes } from './_xml.js';

export const RUN_COMPLETED_CASE = 'run completed';

interface TestCase {
  name: string;
  failure?: { type: string; message: string; body?: string };
  error?: { type: string; message: string; body: string };
}

export function renderJUnitReport(reports: ReportInput | readonly ReportInput[]): string {
  const list: readonly ReportInput[] = Array.isArray(reports) ? reports : [reports as ReportInput];
  const suites = list.map(suiteOf);
  const sum = (pick: (suite: Suite) => number) => suites.reduce((total, suite) => total + pick(suite), 0);
  const head = xmlAttributes({
    name: 'loadctl',
    tests: sum((suite) => suite.cases.length),
    failures: sum((suite) => suite.failures),
    errors: sum((suite) => suite.errors),
    time: seconds(sum((suite) => suite.time)),
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${head}>`, ...suites.flatMap(renderSuite), '</testsuites>', ''].join('\n');
}

interface Suite {
  input: ReportInput;
  cases: TestCase[];
  failures: number;
  errors: number;
  time: number;
  exceptions: ExceptionEntry[];
}

function suiteOf(input: ReportInput): Suite {
  const exceptions = exceptionsOf(input);
  const cases = input.verdicts.map((verdict) => thresholdCase(verdict, exceptions));
  if (cases.length === 0 || input.run.status !== 'Finished') cases.push(runCompletedCase(input.run));
  return {
    input,
    cases,
    failures: cases.filter((testCase) => testCase.failure).length,
    errors: cases.filter((testCase) => testCase.error).length,
    time: secondsBetween(input.run.startedAt, input.run.finishedAt) ?? 0,
    exceptions,
  };
}

function exceptionsOf(input: ReportInput): ExceptionEntry[] {
  const metrics = resultMetricsOf(input.run) ?? [...input.pushes].sort((a, b) => a.seq - b.seq).at(-1);
  return [...(metrics?.exceptions ?? [])].sort((a, b) => b.count - a.count);
}

function thresholdCase(verdict: ThresholdVerdict, exceptions: readonly ExceptionEntry[]): TestCase {
  const name = thresholdLabelOf(verdict);
  if (verdict.passed) return { name };
  const message = describeVerdict(verdict);
  const body = verdict.metric === 'exceptions' && exceptions.length > 0 ? `${message}\n\n${describeExceptions(exceptions)}` : message;
  return { name, failure: { type: verdict.reason === undefined ? 'ThresholdFailed' : 'NoData', message, body } };
}

/** Each exception: how often, where, and its traceback. */
function describeExceptions(exceptions: readonly ExceptionEntry[]): string {
  return exceptions.map((entry) => `${entry.count}× ${entry.message}${entry.where ? ` at ${entry.where}` : ''}\n${entry.traceback.trimEnd()}`).join('\n\n');
}

function runCompletedCase(run: ReportRun): TestCase {
  switch (run.status) {
    case 'Finished':
      return { name: RUN_COMPLETED_CASE };
    case 'Failed': {
      const reason = run.error ?? 'no reason was recorded';
      return { name: RUN_COMPLETED_CASE, error: { type: 'RunFailed', message: `the run failed: ${firstLine(reason)}`, body: reason } };
    }
    case 'Stopped': {
      // abortOnFail: the threshold's own case fails; this one says why the run is short.
      const abort = thresholdAbortOf(run);
      if (abort) return { name: RUN_COMPLETED_CASE, failure: { type: 'RunAborted', message: `the run was stopped early, ${abort}` } };
      const message = 'the run was stopped on request before its duration elapsed';
      return { name: RUN_COMPLETED_CASE, error: { type: 'RunStopped', message, body: run.error ?? message } };
    }
    default: {
      const message = `the run had not ended (status ${run.status}) when the report was written`;
      return { name: RUN_COMPLETED_CASE, error: { type: 'RunNotEnded', message, body: message } };
    }
  }
}

function renderSuite(suite: Suite): string[] {
  const { run, testName } = suite.input;
  const head = xmlAttributes({
    name: `loadctl: ${testName} (${run.id})`,
    tests: suite.cases.length,
    failures: suite.failures,
    errors: suite.errors,
    skipped: 0,
    time: seconds(suite.time),
    timestamp: run.startedAt ?? run.createdAt,
  });
  const properties = { runId: run.id, loadTestId: run.loadTestId, status: run.status, targetUrl: run.targetUrl, targetUsers: run.targetUsers };
  return [
    `  <testsuite${head}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${xmlAttributes({ name, value })}/>`),
    '    </properties>',
    ...suite.cases.flatMap((testCase) => renderCase(testCase, testName)),
    ...(suite.exceptions.length > 0 ? [`    <system-err>${escapeXml(`Task exceptions:\n\n${describeExceptions(suite.exceptions)}`)}</system-err>`] : []),
    '  </testsuite>',
  ];
}

function renderCase(testCase: TestCase, testName: string): string[] {
  const open = `    <testcase${xmlAttributes({ classname: testName, name: testCase.name, time: '0' })}`;
  if (testCase.failure) {
    const { type, message, body = message } = testCase.failure;
    return [`${open}>`, `      <failure${xmlAttributes({ message, type })}>${escapeXml(body)}</failure>`, '    </testcase>'];
  }
  if (testCase.error) {
    const { type, message, body } = testCase.error;
    return [`${open}>`, `      <error${xmlAttributes({ message, type })}>${escapeXml(body)}</error>`, '    </testcase>'];
  }
  return [`${open}/>`];
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

function seconds(value: number): string {
  return value.toFixed(3);
}
