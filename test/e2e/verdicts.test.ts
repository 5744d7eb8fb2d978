// What a person or a CI job concludes from a run (issue: verdicts that never lie): real
// `loadctl run` processes, real Locust, a target that counts what it saw, the embedded store,
// and the report files read back as a CI system reads them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, type TestSuites } from 'junit2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import type { Run } from '../../src/domain/types.js';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { refusedPort, startCountingTarget, type CountingTarget } from '../support/counting-target.js';
import { locustBinForTests } from '../support/locust-runtime.js';

const FIXTURES = join(REPO_ROOT, 'test/e2e/fixtures/verdicts');
const output = (result: CliResult): string => `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`;

describe('verdicts end to end', () => {
  let target: CountingTarget;
  let workDir: string;
  let dataDir: string;

  const run = (script: string, host: string, args: string[] = []) =>
    runCli([
      'run',
      '--script', join(FIXTURES, script),
      '--host', host,
      '--users', '2',
      '--duration', '3',
      '--metrics-interval', '1',
      '--data-dir', dataDir,
      '--locust-bin', locustBinForTests(),
      ...args,
    ]);

  const runIdOf = (result: CliResult): string => {
    const match = /^Run (\S+) of /m.exec(result.stderr);
    expect(match, output(result)).not.toBeNull();
    return match![1]!;
  };

  const api = async <T>(args: string[]): Promise<T> => {
    const shown = await runCli([...args, '--json', '--data-dir', dataDir]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    return JSON.parse(shown.stdout) as T;
  };

  const junitCases = async (file: string) => {
    const suites = (await parse(readFileSync(file, 'utf8'))) as TestSuites;
    return suites.testsuite![0]!;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-verdicts-'));
    dataDir = join(workDir, 'data');
    mkdirSync(join(workDir, 'out'));
    target = await startCountingTarget();
  });

  afterAll(async () => {
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  describe('every request failing (connection refused)', () => {
    let host: string;
    beforeAll(async () => {
      host = `http://127.0.0.1:${await refusedPort()}`;
    });

    it('exits 1 without thresholds of its own, with a failing default in the table and the JUnit file', async () => {
      const junit = join(workDir, 'out/refused.xml');
      const result = await run('steady.py', host, ['--junit', junit]);
      expect(result.exitCode, output(result)).toBe(1);
      expect(result.stdout).toContain('Finished');
      expect(result.stdout).toMatch(/FAIL +│ error_rate<1% \(default\) +│ +100% │/);
      const suite = await junitCases(junit);
      const failing = suite.testcase!.filter((testCase) => testCase.failure).map((testCase) => testCase.name);
      expect(failing).toEqual(['error_rate<1% (default)']);
      const stored = await api<Run>(['runs', 'show', runIdOf(result)]);
      expect(stored).toMatchObject({ status: 'Finished', verdict: 'failed' });
      expect(stored.thresholdVerdicts!.filter((verdict) => verdict.isDefault)).toHaveLength(3);
    });

    it('exits 1 with a threshold of its own that passes, because not every request may fail', async () => {
      const junit = join(workDir, 'out/refused-own.xml');
      const result = await run('steady.py', host, ['--threshold', 'p95<10s', '--junit', junit]);
      expect(result.exitCode, output(result)).toBe(1);
      const suite = await junitCases(junit);
      expect(suite.testcase!.map((testCase) => [testCase.name, testCase.failure ? 'failed' : 'passed'])).toEqual([
        ['p95<10s', 'passed'],
        ['error_rate<100% (default)', 'failed'],
      ]);
    });

    it('exits 0 only when the defaults are turned off', async () => {
      const result = await run('steady.py', host, ['--no-default-thresholds']);
      expect(result.exitCode, output(result)).toBe(0);
      const listed = await api<{ items: Run[] }>(['runs', 'list']);
      expect(listed.items[0]!.thresholds).toBeUndefined();
    });
  });

  describe('a task that raises after its request', () => {
    let result: CliResult;
    let stored: Run;
    const files = { json: '', junit: '', html: '' };

    beforeAll(async () => {
      Object.assign(files, { json: join(workDir, 'out/raises.json'), junit: join(workDir, 'out/raises.xml'), html: join(workDir, 'out/raises.html') });
      result = await run('raises.py', target.url, ['--json', files.json, '--junit', files.junit, '--html', files.html]);
      stored = await api<Run>(['runs', 'show', runIdOf(result)]);
    }, 90_000);

    it('exits 1, with the exceptions threshold failing and the exceptions under the summary', () => {
      expect(result.exitCode, output(result)).toBe(1);
      expect(result.stdout).toMatch(/FAIL +│ exceptions==0 \(default\) +│ +[\d,]+ │ +== 0/);
      // the script's own line (the plugin import loadctl adds does not shift it)
      expect(result.stdout).toMatch(/Task exceptions\n +[\d,]+× ValueError: unexpected answer 'ok' at locustfile\.py:7 in check_answer/);
    });

    it('stores them with the run: count, message, traceback, where', () => {
      const final = stored.finalMetrics!;
      expect(final.totalRequests).toBeGreaterThan(0);
      expect(final.totalFailures).toBe(0);
      expect(final.totalExceptions).toBe(final.totalRequests);
      expect(final.exceptions).toHaveLength(1);
      expect(final.exceptions![0]).toMatchObject({ count: final.totalExceptions, message: "ValueError: unexpected answer 'ok'", where: 'locustfile.py:7 in check_answer' });
      expect(final.exceptions![0]!.traceback).toMatch(/locustfile\.py", line 7, in check_answer\n +raise ValueError/);
    });

    it('puts them in every report', async () => {
      const json = JSON.parse(readFileSync(files.json, 'utf8'));
      expect(json.summary.exceptions).toBe(stored.finalMetrics!.totalExceptions);
      expect(json.exceptions[0]).toMatchObject({ count: stored.finalMetrics!.totalExceptions, where: stored.finalMetrics!.exceptions![0]!.where });
      const suite = await junitCases(files.junit);
      const exceptionsCase = suite.testcase!.find((testCase) => testCase.name === 'exceptions==0 (default)')!;
      expect(exceptionsCase.failure![0]!.inner).toMatch(/check_answer[\s\S]*raise ValueError/);
      expect(readFileSync(files.junit, 'utf8')).toMatch(/<system-err>Task exceptions:/);
      const html = readFileSync(files.html, 'utf8');
      expect(html).toContain('<h2>Exceptions</h2>');
      expect(html).toContain('ValueError: unexpected answer &#39;ok&#39;');
    });
  });

  it('gives one p50 everywhere for one endpoint with a tie at the median', async () => {
    const json = join(workDir, 'out/tie.json');
    const result = await run('median-tie.py', target.url, ['--users', '1', '--duration', '5', '--threshold', 'p50<200ms', '--threshold', 'GET /slow: p50<200ms', '--json', json]);
    expect(result.exitCode, output(result)).toBe(1);
    const stored = await api<Run>(['runs', 'show', runIdOf(result)]);
    const final = stored.finalMetrics!;
    const slow = final.requestStats['GET /slow']!;
    expect(slow.numRequests).toBe(10);
    // Locust's Median column takes the lower half here; every percentile loadctl shows, the upper
    expect(slow.medianResponseTime).toBeLessThan(200);
    expect(final.p50ResponseMs).toBeGreaterThanOrEqual(300);
    expect(slow.p50ResponseTime).toBe(final.p50ResponseMs);
    expect(stored.thresholdVerdicts!.slice(0, 2).map((verdict) => [verdict.threshold, verdict.observed, verdict.passed])).toEqual([
      ['p50<200ms', final.p50ResponseMs, false],
      ['GET /slow: p50<200ms', final.p50ResponseMs, false],
    ]);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.endpoints[0].p50ResponseMs).toBe(report.summary.p50ResponseMs);
    // the summary table: the endpoint row and the Total row show the same p50
    const cells = (line: string) => line.split('│').map((cell) => cell.trim());
    const lines = result.stdout.split('\n');
    const column = cells(lines.find((line) => cells(line)[1] === 'Endpoint')!).indexOf('p50');
    const rows = lines.filter((line) => ['GET /slow', 'Total'].includes(cells(line)[1]!));
    expect(rows.map((line) => cells(line)[column])).toEqual([String(final.p50ResponseMs), String(final.p50ResponseMs)]);
  });

  describe('out of the box', () => {
    let demo: DemoTarget;
    beforeAll(async () => {
      demo = await startDemoTarget({ port: 0 });
    });
    afterAll(async () => {
      await demo?.close();
    });

    it('passes the README demo under the default thresholds', async () => {
      const result = await runCli(['demo', '--duration', '3', '--users', '3', '--data-dir', dataDir, '--locust-bin', locustBinForTests()]);
      expect(result.exitCode, output(result)).toBe(0);
      expect(result.stdout).toMatch(/Thresholds: all 3 passed/);
    });

    it('passes `loadctl init`’s starter against the demo target', async () => {
      const project = join(workDir, 'project');
      mkdirSync(project);
      const init = await runCli(['init'], { cwd: project });
      expect(init.exitCode, output(init)).toBe(0);
      // The starter's host is the demo target's default port; this one listens on a free port.
      const result = await runCli(['run', '--host', demo.url, '--duration', '3', '--users', '2', '--data-dir', dataDir, '--locust-bin', locustBinForTests()], { cwd: project });
      expect(result.exitCode, output(result)).toBe(0);
      expect(result.stdout).toMatch(/Thresholds: all 3 passed/);
      expect(result.stdout).not.toMatch(/404/);
    });
  });
});
