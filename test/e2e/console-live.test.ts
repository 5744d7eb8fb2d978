import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { runCli, startCli } from '../support/cli.js';
import { screenshot, watchPage } from '../support/console-browser.js';
import { startCountingTarget, type CountingTarget } from '../support/counting-target.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';

const SCRIPT = ['from locust import HttpUser, task, constant', '', '', 'class Counter(HttpUser):', '    wait_time = constant(0.2)', '', '    @task', '    def hello(self):', '        self.client.get("/hello")', ''].join('\n');

describe('web console: a live run started, watched and stopped from the browser', () => {
  let workDir: string;
  let serve: ServeProcess;
  let target: CountingTarget;
  let browser: Browser;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-console-live-'));
    const config = join(workDir, 'loadctl.yaml');
    writeFileSync(config, 'metricsInterval: 1\n');
    [serve, target, browser] = await Promise.all([startServe(['--port', '0', '--config', config, '--data-dir', join(workDir, 'data'), '--locust-bin', locustBinForTests()]), startCountingTarget(), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await target?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('starts a run from the test page, charts gain points while it runs, Stop ends it as Stopped with the API’s numbers', async () => {
    const created = await fetch(`${serve.url}/v1/load-tests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'console-live', targetUrl: target.url, scriptContent: Buffer.from(SCRIPT).toString('base64'), defaultUsers: 1, defaultSpawnRate: 1, defaultDurationSec: 10 }),
    });
    expect(created.status).toBe(201);
    const test = (await created.json()) as { id: string };

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const watch = watchPage(page, serve.url);
    await page.goto(`${serve.url}/#/tests/${test.id}`);
    await page.fill('#start-users', '3');
    await page.fill('#start-spawnRate', '3');
    await page.fill('#start-duration', '120');
    await page.click('#start-run');
    await page.waitForURL(/#\/runs\/run_\w+$/, { timeout: 15_000 });
    const runId = /#\/runs\/(run_\w+)$/.exec(page.url())![1]!;

    // Points arrive with each push (every second) without a reload.
    await page.waitForSelector('#run-status [data-status="Running"]', { timeout: 60_000 });
    const pointsOf = async () => Number(await page.getAttribute('#chart-rps', 'data-points'));
    await waitFor(pointsOf, (points) => points >= 1, { timeoutMs: 30_000, what: 'the RPS chart’s first point' });
    const first = await pointsOf();
    await waitFor(pointsOf, (points) => points >= first + 2, { timeoutMs: 30_000, what: 'the RPS chart to gain points while the run runs' });
    expect(Number(await page.getAttribute('#total-requests', 'data-value'))).toBeGreaterThan(0);
    await screenshot(page, 'run-live');

    // A runs list open elsewhere follows the status without a reload.
    const list = await page.context().newPage();
    const listWatch = watchPage(list, serve.url);
    await list.goto(`${serve.url}/#/runs`);
    await list.waitForSelector(`#runs-table tbody tr:has(a[href="#/runs/${runId}"]) [data-status="Running"]`);
    await list.evaluate('window.loadedOnce = true');

    // The stop request's answer (Stopping) is held until the event stream has shown the end: the
    // order a busy machine produced once, which left the page on Stopping for good.
    let releaseAnswer!: () => void;
    const answerHeld = new Promise<void>((resolve) => (releaseAnswer = resolve));
    await page.route('**/v1/runs/*/stop', async (route) => {
      const answer = await route.fetch();
      await answerHeld;
      await route.fulfill({ response: answer });
    });
    const explain = async (error: Error): Promise<never> => {
      await screenshot(page, 'run-stop-failed');
      throw new Error(`${error.message}\npage: ${await page.locator('main').innerText()}\nserve: ${serve.output().slice(-3000)}\nbrowser: ${watch.problems().join('\n')}`);
    };
    await page.click('#stop-run');
    await page.waitForSelector('#run-status [data-status="Stopped"]', { timeout: 60_000 }).catch(explain);
    releaseAnswer();
    await page.waitForSelector('#stop-run:not([aria-busy])', { timeout: 15_000 }).catch(explain);
    expect(await page.getAttribute('#run-status [data-status]', 'data-status')).toBe('Stopped');
    const summary = await waitFor(
      async () => {
        const api = (await (await fetch(`${serve.url}/v1/runs/${runId}/summary`)).json()) as { totals: Record<string, number> };
        const shown = Number(await page.getAttribute('#total-requests', 'data-value'));
        return { api, shown };
      },
      ({ api, shown }) => api.totals.requests === shown,
      { timeoutMs: 10_000, what: 'the page to show the final totals' },
    );
    for (const [id, field] of [['total-requests', 'requests'], ['total-failures', 'failures'], ['total-rps', 'rps'], ['total-p50', 'p50ResponseMs'], ['total-p95', 'p95ResponseMs'], ['total-p99', 'p99ResponseMs']] as const) {
      expect(Number(await page.getAttribute(`#${id}`, 'data-value')), id).toBe(summary.api.totals[field]);
    }
    const rows = await page.$$eval('#endpoints-table tbody tr', (trs) => trs.map((tr) => tr.querySelector('th')?.textContent));
    expect(rows).toEqual(['GET /hello']);
    expect(target.requests.length).toBeGreaterThanOrEqual(summary.api.totals.requests!);
    expect(await page.isDisabled('#stop-run')).toBe(true);
    await screenshot(page, 'run-stopped');
    await list.waitForSelector(`#runs-table tbody tr:has(a[href="#/runs/${runId}"]) [data-status="Stopped"]`, { timeout: 15_000 });
    expect(await list.evaluate('window.loadedOnce')).toBe(true);
    expect(listWatch.problems()).toEqual([]);
    expect(watch.problems()).toEqual([]);

    // serve logged each transition, one line each.
    const lines = serve.output().split('\n').filter((line) => line.includes(`run ${runId} `));
    expect(lines.map((line) => /: (?:\w+ → )?(\w+)/.exec(line.slice(line.indexOf(runId)))?.[1])).toEqual(['Starting', 'Running', 'Stopping', 'Stopped']);

    // The console's download is the report the CLI writes (only the generation time differs).
    const downloaded = (await (await page.request.get(`${serve.url}/v1/runs/${runId}/report?format=json`)).json()) as Record<string, unknown>;
    const file = join(workDir, 'report.json');
    const cli = await runCli(['report', runId, '--json', file, '--server', serve.url]);
    expect(cli.exitCode, cli.stderr).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete downloaded.generatedAt;
    delete written.generatedAt;
    expect(downloaded).toEqual(written);
  }, 150_000);

  it('loadctl run --ui prints the live page of its in-process control plane, which serves the console while the run lasts', async () => {
    const script = join(workDir, 'counter.py');
    writeFileSync(script, SCRIPT);
    const child = startCli(['run', '--ui', '--script', script, '--host', target.url, '--users', '1', '--duration', '4', '--data-dir', join(workDir, 'ui-data'), '--locust-bin', locustBinForTests()]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await waitFor(async () => /Live page: (http:\/\/127\.0\.0\.1:\d+\/#\/runs\/(run_\w+))/.exec(stderr), Boolean, { timeoutMs: 60_000, what: `the live page URL; stderr so far:\n${stderr}` });
    const origin = new URL(url![1]!).origin;
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(((await (await fetch(`${origin}/v1/runs/${url![2]}`)).json()) as { id: string }).id).toBe(url![2]);
    expect((await child).exitCode, stderr).toBe(0);
  }, 90_000);
});
