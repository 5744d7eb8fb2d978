import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { screenshot, watchPage } from '../support/console-browser.js';
import { seedStore, type Seeded } from '../support/console-seed.js';
import { startServe, type ServeProcess } from '../support/serve.js';

// Stored runs with known numbers: 10 s each, so rps = requests / 10.
const RUNS = [
  { requests: 1000, failures: 0, p95: 120 },
  { requests: 1500, failures: 10, p95: 180 },
  { requests: 800, failures: 40, p95: 600 },
];

describe('web console on stored runs (history, compare, run page, runs list)', () => {
  let workDir: string;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let seeded: Seeded;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-console-pages-'));
    seeded = await seedStore(workDir, RUNS);
    [serve, browser] = await Promise.all([startServe(['--port', '0', '--data-dir', workDir]), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const api = async (path: string): Promise<any> => (await fetch(`${serve.url}${path}`)).json();

  it('serve prints the console, API and Swagger URLs', () => {
    expect(serve.output()).toContain(`console: ${serve.url}/`);
    expect(serve.output()).toContain(`API: ${serve.url}/v1`);
    expect(serve.output()).toContain(`Swagger UI: ${serve.url}/swagger`);
  });

  it('the runs list filters by status and verdict', async () => {
    const page = await context.newPage();
    const watch = watchPage(page, serve.url);
    await page.goto(`${serve.url}/`);
    await page.waitForSelector('#runs-table tbody tr');
    expect(await page.locator('#runs-table tbody tr').count()).toBe(3);
    await page.selectOption('#filter-verdict', 'failed');
    await page.click('form.filters button[type=submit]');
    // Counted from the test side: a string predicate would be eval'd in the page, which its CSP forbids.
    await expect.poll(() => page.locator('#runs-table tbody tr').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('#runs-table tbody tr').first().textContent()).toContain('seeded run 3');
    expect(page.url()).toContain('verdict=failed');
    // Scope fields appear when a test has them.
    expect(await page.locator('#filter-projectId').count()).toBe(1);
    await page.goto(`${serve.url}/#/runs`);
    await page.waitForSelector('#runs-table tbody tr');
    await screenshot(page, 'runs');
    expect(watch.problems()).toEqual([]);
    await page.close();
  });

  it('a test’s page charts p95 and RPS over its runs with the stored numbers, and diffs two revisions', async () => {
    const page = await context.newPage();
    const watch = watchPage(page, serve.url);
    await page.goto(`${serve.url}/#/tests/${seeded.testId}`);
    await page.waitForSelector('#chart-history[data-points="3"]');
    const rows = await page.$$eval('#history-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('[data-value]')].map((cell) => cell.getAttribute('data-value'))));
    // Columns with values: run (createdAt), status, verdict, requests, rps, p95, created.
    expect(rows.map((row) => [Number(row[3]), Number(row[4]), Number(row[5])])).toEqual(RUNS.map((run) => [run.requests, run.requests / 10, run.p95]));
    const history = await api(`/v1/load-tests/${seeded.testId}/history`);
    expect(history.items.map((item: any) => item.rps)).toEqual(RUNS.map((run) => run.requests / 10));
    await page.click('#diff-revisions');
    await page.waitForSelector('#diff .added');
    expect(await page.locator('#diff .added').allTextContents()).toEqual(['+         self.client.get("/cart")\n']);
    await screenshot(page, 'test');
    await page.locator('#revisions-table tbody button').first().click();
    await page.waitForSelector('#script-view pre.script');
    expect(await page.locator('#script-view pre.script').textContent()).toContain('class Shopper(HttpUser)');
    expect(watch.problems()).toEqual([]);
    await page.close();
  });

  it('compare overlays two runs and shows the per-endpoint deltas of runs compare', async () => {
    const page = await context.newPage();
    const watch = watchPage(page, serve.url);
    const [baseline, current] = [seeded.runs[0]!, seeded.runs[2]!];
    await page.goto(`${serve.url}/#/compare?baseline=${baseline.id}&current=${current.id}`);
    await page.waitForSelector('#compare-table tbody tr');
    expect(Number(await page.getAttribute('#chart-compare-rps', 'data-points'))).toBe(2);
    const endpointRow = page.locator('#compare-table tbody tr', { hasText: 'GET /products' });
    const p95Cell = endpointRow.locator('td').nth(3);
    expect(await p95Cell.textContent()).toMatch(/^120 → 600 \(\+400\.0 %\) ▲ worse$/);
    expect(await page.locator('#compare-verdict').textContent()).toContain('worse');
    const comparison = await api(`/v1/runs/compare?baseline=${baseline.id}&current=${current.id}`);
    expect(comparison.endpoints[0].deltas.p95).toMatchObject({ baseline: 120, current: 600, worse: true });
    await screenshot(page, 'compare');
    expect(watch.problems()).toEqual([]);
    await page.close();
  });

  it('a finished run’s page shows the API’s numbers, its verdicts and its failures; its downloads are the reports', async () => {
    const page = await context.newPage();
    const watch = watchPage(page, serve.url);
    const run = seeded.runs[2]!;
    await page.goto(`${serve.url}/#/runs/${run.id}`);
    await page.waitForSelector('#total-requests');
    const summary = await api(`/v1/runs/${run.id}/summary`);
    for (const [id, field] of [['total-requests', 'requests'], ['total-failures', 'failures'], ['total-rps', 'rps'], ['total-p95', 'p95ResponseMs']] as const) {
      expect(Number(await page.getAttribute(`#${id}`, 'data-value')), id).toBe(summary.totals[field]);
    }
    expect(await page.locator('#run-status').textContent()).toContain('Finished');
    expect(await page.locator('#run-verdict').textContent()).toContain('failed');
    expect(await page.locator('#thresholds-table tbody').textContent()).toContain('p95<500ms');
    expect(await page.locator('#errors-table tbody').textContent()).toContain('HTTPError(500)');
    expect(await page.isDisabled('#stop-run')).toBe(true);
    // Task exceptions with their tracebacks, opened from the keyboard.
    await page.focus('#exceptions summary');
    await page.keyboard.press('Enter');
    expect(await page.locator('#exceptions pre').innerText()).toContain('ValueError: bad id');
    expect(await page.locator('#exceptions summary').textContent()).toContain('×3 at locustfile.py:7 in browse');
    // The endpoints table sorts from the keyboard and says how (aria-sort).
    await page.focus('#endpoints-table thead button:text("Requests")');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#endpoints-table thead th:nth-child(2)', 'aria-sort')).toBe('descending');
    const report = await page.request.get(`${serve.url}/v1/runs/${run.id}/report?format=json`);
    expect(report.headers()['content-disposition']).toContain('attachment');
    expect((await report.json()).run.id).toBe(run.id);
    await screenshot(page, 'run-finished');
    expect(watch.problems()).toEqual([]);
    await page.close();
  });

  it('follows the system’s dark colour scheme', async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const page = await dark.newPage();
    const watch = watchPage(page, serve.url);
    await page.goto(`${serve.url}/#/runs/${seeded.runs[1]!.id}`);
    await page.waitForSelector('#total-requests');
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(15, 17, 21)');
    await screenshot(page, 'run-finished-dark');
    expect(watch.problems()).toEqual([]);
    await dark.close();
  });

  it('the tests list and every screenshot were written', async () => {
    const page = await context.newPage();
    const watch = watchPage(page, serve.url);
    await page.goto(`${serve.url}/#/tests`);
    await page.waitForSelector('#tests-table tbody tr');
    expect(await page.locator('#tests-table tbody').textContent()).toContain(seeded.testName);
    const path = await screenshot(page, 'tests');
    expect(statSync(path).size).toBeGreaterThan(5_000);
    expect(watch.problems()).toEqual([]);
    await page.close();
  });
});
