// Thresholds, reports and exit codes end to end: real `loadctl` processes, a real Locust
// against the demo target, the embedded store, and the report files opened by the tools a
// CI system uses (a JUnit parser, a JSON Schema validator, a browser).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse, type TestSuites } from 'junit2json';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import type { RunComparison } from '../../src/domain/compare.js';
import type { EndpointStats, MetricsSnapshot, Run } from '../../src/domain/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { launchChromium } from '../support/chromium.js';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';

const FIXTURES = join(REPO_ROOT, 'test/e2e/fixtures');
const LIST_SCRIPT = join(FIXTURES, 'list-products.py');
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'src/cli/reports/json-report.schema.json'), 'utf8')) as object;

const output = (result: CliResult): string => `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`;

describe('thresholds, reports and exit codes', () => {
  let target: DemoTarget;
  let workDir: string;
  let dataDir: string;
  let browser: Browser | undefined;

  /** `loadctl run` of the one-endpoint fixture against the demo target: 2 users, 3 s. */
  const run = (args: string[], options: { script?: string; dir?: string } = {}) =>
    runCli([
      'run',
      '--script', options.script ?? LIST_SCRIPT,
      '--host', target.url,
      '--users', '2',
      '--duration', '3',
      '--metrics-interval', '1',
      '--data-dir', options.dir ?? dataDir,
      '--locust-bin', locustBinForTests(),
      ...args,
    ]);

  const showRun = async (runId: string, dir = dataDir): Promise<Run> => {
    const shown = await runCli(['runs', 'show', runId, '--json', '--data-dir', dir]);
    expect(shown.exitCode, shown.stderr).toBe(0);
    return JSON.parse(shown.stdout) as Run;
  };

  /** The run a `loadctl run` started, from its first line ("Run run_… of "name": …"). */
  const runIdOf = (result: CliResult): string => {
    const match = /^Run (\S+) of /m.exec(result.stderr);
    expect(match, output(result)).not.toBeNull();
    return match![1]!;
  };

  /** Opens a report in headless Chromium; per chart, the canvas size and how many pixels were drawn. */
  async function chartsOf(file: string, screenshot: string): Promise<Array<{ id: string; width: number; painted: number }>> {
    browser ??= await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('html[data-charts-ready]', { timeout: 20_000 });
      await page.screenshot({ path: screenshot, fullPage: true });
      // A string: this project's TypeScript has no DOM types.
      return (await page.evaluate(`[...document.querySelectorAll('[data-chart]')].map((el) => {
        const canvas = el.querySelector('canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted += 1;
        return { id: el.dataset.chart, width: canvas.width, painted };
      })`)) as Array<{ id: string; width: number; painted: number }>;
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-thresholds-'));
    dataDir = join(workDir, 'data');
    target = await startDemoTarget({ port: 0, errorRate: 0 });
  });

  afterAll(async () => {
    await browser?.close();
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  describe('a run that breaches p95<1ms', () => {
    let result: CliResult;
    let runId: string;
    let stored: Run;
    const files = { junit: '', json: '', html: '' };

    beforeAll(async () => {
      Object.assign(files, { junit: join(workDir, 'out/junit.xml'), json: join(workDir, 'out/run.json'), html: join(workDir, 'out/report.html') });
      // error_rate<100% is loadctl's default beside thresholds of the run's own
      result = await run(['--threshold', 'p95<1ms', '--junit', files.junit, '--json', files.json, '--html', files.html]);
      runId = runIdOf(result);
      stored = await showRun(runId);
    }, 90_000);

    it('exits 1 and prints the thresholds under the summary', () => {
      expect(result.exitCode, output(result)).toBe(1);
      expect(result.stdout).toContain('Finished');
      expect(result.stdout).toContain('Thresholds: 1 of 2 failed');
      expect(result.stdout).toMatch(/FAIL +│ p95<1ms +│ +[\d.,]+ ms │ +< 1 ms/);
      expect(result.stdout).toMatch(/pass +│ error_rate<100% \(default\) +│ +0% │ +< 100%/);
    });

    it('stores the verdicts with the run, apart from its status', () => {
      expect(stored).toMatchObject({ status: 'Finished', verdict: 'failed' });
      expect(stored.thresholds?.map((threshold) => threshold.text)).toEqual(['p95<1ms', 'error_rate<100%']);
      expect(stored.thresholdVerdicts).toEqual([
        { threshold: 'p95<1ms', metric: 'p95', operator: '<', limit: 1, observed: stored.finalMetrics!.p95ResponseMs, passed: false },
        { threshold: 'error_rate<100%', metric: 'error_rate', operator: '<', limit: 1, observed: 0, passed: true, isDefault: true },
      ]);
      expect(stored.finalMetrics!.p95ResponseMs).toBeGreaterThanOrEqual(1);
    });

    it('writes a JUnit file whose failing test case names p95 and its value', async () => {
      const suites = (await parse(readFileSync(files.junit, 'utf8'))) as TestSuites;
      expect(suites).toMatchObject({ tests: 2, failures: 1, errors: 0 });
      const cases = suites.testsuite![0]!.testcase!;
      expect(cases.map((testCase) => [testCase.name, testCase.failure ? 'failed' : 'passed'])).toEqual([
        ['p95<1ms', 'failed'],
        ['error_rate<100% (default)', 'passed'],
      ]);
      const p95 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(stored.finalMetrics!.p95ResponseMs);
      expect(cases[0]!.failure![0]).toMatchObject({ type: 'ThresholdFailed', message: `p95 was ${p95} ms, limit < 1 ms` });
    });

    it('writes a JSON report that matches its schema', () => {
      const report = JSON.parse(readFileSync(files.json, 'utf8'));
      const ajv = new Ajv({ allErrors: true, strict: true });
      addFormats.default(ajv);
      const validate = ajv.compile(schema);
      expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
      expect(report.run.id).toBe(runId);
      expect(report.summary).toMatchObject({ status: 'Finished', passed: false, thresholdsPassed: false });
      expect(report.thresholds.map((verdict: { threshold: string; passed: boolean }) => [verdict.threshold, verdict.passed])).toEqual([
        ['p95<1ms', false],
        ['error_rate<100%', true],
      ]);
      expect(report.timeline.length).toBeGreaterThanOrEqual(2);
    });

    it('writes an HTML report that draws its four charts in headless Chromium', async () => {
      const screenshot = join(workDir, 'run-report.png');
      const charts = await chartsOf(files.html, screenshot);
      expect(charts.map((chart) => chart.id)).toEqual(['users', 'rps', 'failures', 'latency']);
      for (const chart of charts) {
        expect(chart.width, chart.id).toBeGreaterThan(300);
        expect(chart.painted, chart.id).toBeGreaterThan(1000);
      }
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
      expect(readFileSync(files.html, 'utf8')).toContain('p95 was');
    });

    it('`loadctl report` writes the same reports for the stored run', async () => {
      const again = { junit: join(workDir, 'again/junit.xml'), html: join(workDir, 'again/report.html') };
      const reported = await runCli(['report', runId, '--junit', again.junit, '--html', again.html, '--data-dir', dataDir]);
      expect(reported.exitCode, output(reported)).toBe(0);
      expect(reported.stdout.trim().split('\n')).toEqual([again.junit, again.html]);
      expect(readFileSync(again.junit, 'utf8')).toBe(readFileSync(files.junit, 'utf8'));
      const charts = await chartsOf(again.html, join(workDir, 'again.png'));
      expect(charts.filter((chart) => chart.painted > 1000)).toHaveLength(4);

      const nothing = await runCli(['report', runId, '--data-dir', dataDir]);
      expect(nothing.exitCode).toBe(3);
      expect(nothing.stderr).toContain('needs at least one output');
    });

    it('a passing run exits 0, also held against the first one as its baseline', async () => {
      const passing = await run(['--threshold', 'p95<10s', '--baseline', runId, '--max-regression', '100000%']);
      expect(passing.exitCode, output(passing)).toBe(0);
      expect(passing.stdout).toContain('Thresholds: all 12 passed');
      expect(passing.stdout).toContain('p95 within 100000% of baseline');
    });
  });

  describe('refused before any load is sent (exit 3)', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['an unknown metric', 'p59<1ms', /--threshold: "p59<1ms": unknown metric "p59"; did you mean p50\/p95\/p99\?/],
      ['an endpoint the script never requests', 'GET /nope: p95<1s', /"GET \/nope: p95<1s": the script never requests "GET \/nope"; the script requests: GET \/api\/products/],
    ];
    for (const [what, threshold, message] of cases) {
      it(`a threshold with ${what}`, async () => {
        const served = target.stats().served.total;
        const refused = await run(['--threshold', threshold], { dir: join(workDir, `refused-${served}`) });
        expect(refused.exitCode, output(refused)).toBe(3);
        expect(refused.stderr).toMatch(message);
        expect(target.stats().served.total).toBe(served);
      });
    }
  });

  it('a run whose script fails at import exits 2, its JUnit file saying why', async () => {
    const dir = join(workDir, 'import-fails');
    const junit = join(workDir, 'import-fails.xml');
    const failed = await run(['--threshold', 'p95<10s', '--junit', junit], { script: join(FIXTURES, 'import-fails.py'), dir });
    expect(failed.exitCode, output(failed)).toBe(2);
    expect(failed.stdout).toContain("ModuleNotFoundError: No module named 'does_not_exist_module'");
    const suites = (await parse(readFileSync(junit, 'utf8'))) as TestSuites;
    expect(suites.testsuite![0]!.testcase!.map((testCase) => [testCase.name, testCase.error?.[0]?.type])).toEqual([['run completed', 'RunFailed']]);
  });

  it('abortOnFail from the YAML file stops the run well before its duration: Stopped, exit 1', async () => {
    const dir = join(workDir, 'abort');
    const config = join(workDir, 'abort.yaml');
    writeFileSync(config, 'duration: 60\nthresholds:\n  - {threshold: "p95<1ms", abortOnFail: true, graceSeconds: 1}\n');
    const started = Date.now();
    const aborted = await runCli(['run', '--config', config, '--script', LIST_SCRIPT, '--host', target.url, '--users', '2', '--metrics-interval', '1', '--data-dir', dir, '--locust-bin', locustBinForTests()]);
    const tookSeconds = (Date.now() - started) / 1000;
    expect(aborted.exitCode, output(aborted)).toBe(1);
    expect(tookSeconds).toBeLessThan(30);
    expect(aborted.stdout).toMatch(/Stopped early: threshold failed: p95 was [\d.,]+ ms, limit < 1 ms/);

    const stored = await showRun(runIdOf(aborted), dir);
    expect(stored).toMatchObject({ status: 'Stopped', autoStopped: false, verdict: 'failed', durationSeconds: 60 });
    expect(stored.statusHistory.at(-1)?.reason).toMatch(/^threshold failed: p95 was/);
    expect((Date.parse(stored.finishedAt!) - Date.parse(stored.startedAt!)) / 1000).toBeLessThan(15);
    expect(stored.thresholdVerdicts?.[0]).toMatchObject({ threshold: 'p95<1ms', passed: false });
  });

  describe('runs compare on two stored runs with known numbers', () => {
    const dir = (): string => join(workDir, 'compare');
    const ids = { baseline: 'run_baseline_known', current: 'run_current_known' };

    beforeAll(async () => {
      mkdirSync(dir(), { recursive: true });
      const store = new SqliteStore({ file: join(dir(), 'loadctl.db') });
      await store.init();
      const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
      const { test, revision } = await store.createLoadTest(
        { id: 'lt_known', name: 'known', description: '', tags: [], targetUrl: 'http://127.0.0.1:8000', defaultUsers: 2, defaultSpawnRate: 2, defaultDurationSec: 30, extra: {}, createdAt: at(0), updatedAt: at(0) },
        { id: 'rev_known', cleanScript: 'x', injectedScript: 'x', sha256: 'a'.repeat(64), sizeBytes: 1, createdAt: at(0) },
      );
      const endpoint = (name: string, values: { rps: number; p50: number; p95: number; p99: number; requests: number; failures: number }): EndpointStats => ({
        method: 'GET', name, numRequests: values.requests, numFailures: values.failures, avgResponseTime: values.p50, minResponseTime: 1, maxResponseTime: values.p99,
        medianResponseTime: values.p50, p95ResponseTime: values.p95, p99ResponseTime: values.p99, requestsPerSec: values.rps,
      });
      const snapshot = (totals: { rps: number; p50: number; p95: number; p99: number; requests: number; failures: number }, endpoints: EndpointStats[]): MetricsSnapshot => ({
        seq: 1, timestamp: at(30), totalRps: totals.rps, totalRequests: totals.requests, totalFailures: totals.failures, currentUsers: 2,
        errorRate: totals.failures / totals.requests, avgResponseMs: totals.p50, p50ResponseMs: totals.p50, p95ResponseMs: totals.p95, p99ResponseMs: totals.p99,
        requestStats: Object.fromEntries(endpoints.map((stats) => [`GET ${stats.name}`, stats])), errors: [], histogram: {},
      });
      const stored = (id: string, second: number, finalMetrics: MetricsSnapshot): Run => ({
        id, loadTestId: test.id, scriptRevisionId: revision.id, status: 'Finished', statusHistory: [{ from: null, to: 'Pending', at: at(second) }],
        targetUsers: 2, spawnRate: 2, durationSeconds: 30, targetUrl: test.targetUrl, callbackToken: 'secret', createdAt: at(second),
        startedAt: at(second), finishedAt: at(second + 30), autoStopped: true,
        // The final push ends at the stop: rates over the load are requests / 30 s, as given.
        lastMetrics: { ...finalMetrics, timestamp: at(second + 30) }, finalMetrics: { ...finalMetrics, timestamp: at(second + 30) },
      });
      // Baseline: 10 rps, p95 100 ms, 1% errors; /a and /b. Current: throughput down 20%, p95 up 5%, p99 up 50%, no errors; /b gone.
      await store.createRun(stored(ids.baseline, 1, snapshot({ rps: 10, p50: 20, p95: 100, p99: 200, requests: 300, failures: 3 }, [
        endpoint('/a', { rps: 8, p50: 20, p95: 100, p99: 200, requests: 240, failures: 3 }),
        endpoint('/b', { rps: 2, p50: 30, p95: 90, p99: 150, requests: 60, failures: 0 }),
      ])));
      await store.createRun(stored(ids.current, 100, snapshot({ rps: 8, p50: 20, p95: 105, p99: 300, requests: 240, failures: 0 }, [
        endpoint('/a', { rps: 8, p50: 21, p95: 105, p99: 300, requests: 240, failures: 0 }),
      ])));
      await store.close();
    });

    it('prints the per-endpoint deltas as JSON, marking what is worse than the tolerance; exit 0', async () => {
      const compared = await runCli(['runs', 'compare', ids.baseline, ids.current, '--tolerance', '10%', '--json', '--data-dir', dir()]);
      expect(compared.exitCode, output(compared)).toBe(0);
      const comparison = JSON.parse(compared.stdout) as RunComparison;
      expect(comparison).toMatchObject({ baselineRunId: ids.baseline, currentRunId: ids.current, tolerancePercent: 10, regressed: true });
      expect(comparison.total.deltas).toEqual({
        rps: { baseline: 10, current: 8, absolute: -2, percent: -20, worse: true },
        p50: { baseline: 20, current: 20, absolute: 0, percent: 0, worse: false },
        p95: { baseline: 100, current: 105, absolute: 5, percent: 5, worse: false },
        p99: { baseline: 200, current: 300, absolute: 100, percent: 50, worse: true },
        error_rate: { baseline: 0.01, current: 0, absolute: -0.01, percent: -100, worse: false },
      });
      expect(comparison.endpoints.map((part) => [part.endpoint, part.presence])).toEqual([
        ['GET /a', 'both'],
        ['GET /b', 'baseline-only'],
      ]);
      expect(comparison.endpoints[0]!.deltas!.p50).toEqual({ baseline: 20, current: 21, absolute: 1, percent: 5, worse: false });
    });

    it('prints a table, and exits 1 only with --fail-on-regression', async () => {
      const table = await runCli(['runs', 'compare', ids.baseline, ids.current, '--data-dir', dir()]);
      expect(table.exitCode, output(table)).toBe(0);
      expect(table.stdout).toContain(`Run ${ids.current} against baseline ${ids.baseline} (tolerance 10%)`);
      expect(table.stdout).toContain('10.0 → 8.0 (-20%)');
      expect(table.stdout).toContain('4 regressions beyond 10%:\n  worse: Total rps, Total p99, GET /a p99\n  no longer requested: GET /b');
      const failing = await runCli(['runs', 'compare', ids.baseline, ids.current, '--tolerance', '60', '--fail-on-regression', '--data-dir', dir()]);
      expect(failing.exitCode, output(failing)).toBe(1);
      expect(failing.stdout).toContain('no longer requested: GET /b');
    });
  });
});
