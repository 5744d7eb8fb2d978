import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChartLibrary, renderHtmlReport, type ChartLibrary, type ReportInput } from '../../../src/cli/reports/index.js';
import { launchChromium } from '../../support/chromium.js';
import { makeReportInput, makeRun } from './_fixtures.js';

interface ChartPixels {
  id: string;
  width: number;
  height: number;
  /** Pixels drawn at all (the canvas background is transparent). */
  painted: number;
  /** Pixels close to the chart's first series colour: the line itself, not only axes and grid. */
  seriesColoured: number;
  /** Length of the canvas as a PNG data: URL; an empty canvas makes a short one. */
  dataUrlLength: number;
}

// Runs in the page (a string: this project's TypeScript has no DOM types): reads back each
// chart's canvas, counting drawn pixels and those close to the chart's first series colour.
const READ_CHARTS = `(() => {
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const style = getComputedStyle(document.documentElement);
  const seriesVar = { users: '--series-users', rps: '--series-rps', failures: '--series-failures', latency: '--series-p50' };
  return [...document.querySelectorAll('[data-chart]')].map((el) => {
    const id = el.dataset.chart;
    const canvas = el.querySelector('canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = rgb(style.getPropertyValue(seriesVar[id]).trim());
    let painted = 0;
    let seriesColoured = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) continue;
      painted += 1;
      const distance = Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b);
      if (pixels[i + 3] > 200 && distance < 60) seriesColoured += 1;
    }
    return { id, width: canvas.width, height: canvas.height, painted, seriesColoured, dataUrlLength: canvas.toDataURL().length };
  });
})()`;

async function readCharts(page: Page): Promise<ChartPixels[]> {
  return (await page.evaluate(READ_CHARTS)) as ChartPixels[];
}

describe('renderHtmlReport', () => {
  let browser: Browser;
  let chartLibrary: ChartLibrary;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-html-report-'));
    [browser, chartLibrary] = await Promise.all([launchChromium(), loadChartLibrary()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function open(input: ReportInput, name: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; requests: string[] }> {
    const file = join(workDir, `${name}.html`);
    writeFileSync(file, renderHtmlReport(input, { chartLibrary }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-charts-ready]', { timeout: 20_000 });
    return { page, requests };
  }

  it('draws the four charts in headless Chromium without any network request', async () => {
    const { page, requests } = await open(makeReportInput(), 'products');
    expect(await page.getAttribute('html', 'data-charts-ready')).toBe('4');
    const charts = await readCharts(page);
    expect(charts.map((chart) => chart.id)).toEqual(['users', 'rps', 'failures', 'latency']);
    for (const chart of charts) {
      expect(chart.width, chart.id).toBeGreaterThan(300);
      expect(chart.painted, chart.id).toBeGreaterThan(2000);
      expect(chart.seriesColoured, chart.id).toBeGreaterThan(150);
      expect(chart.dataUrlLength, chart.id).toBeGreaterThan(5000);
    }

    const screenshot = join(workDir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  it('draws the planned users (a load shape) beside the actual ones, and no planned line for pushes without them', async () => {
    // Pixels of the users chart close to the planned series' colour.
    const plannedPixels = async (page: Page): Promise<number> =>
      (await page.evaluate(`(() => {
        const hex = getComputedStyle(document.documentElement).getPropertyValue('--series-planned').trim();
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        const canvas = document.querySelector('[data-chart="users"] canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          if (pixels[i + 3] > 200 && Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 30) count += 1;
        }
        return count;
      })()`)) as number;
    const base = makeReportInput();
    // a ramp planned 0 → 10 over the run, actual one push behind
    const shaped = base.pushes.map((push, index) => ({ ...push, targetUsers: Math.min(10, index * 2) }));
    const withPlan = await open({ ...base, pushes: shaped }, 'planned');
    const without = await open(base, 'unplanned');
    expect(await plannedPixels(withPlan.page)).toBeGreaterThan(100);
    expect(await plannedPixels(without.page)).toBeLessThan(20);
    expect(await withPlan.page.textContent('[data-chart="users"]')).toContain('Planned users');
    await withPlan.page.close();
    await without.page.close();
  });

  it('shows the verdict, the thresholds, the endpoints and the errors', async () => {
    const { page } = await open(makeReportInput(), 'tables');
    expect(await page.textContent('[data-verdict]')).toBe('Failed: the run finished and 2 of 5 thresholds failed');
    const thresholdRows = await page.$$eval('tr[data-threshold-passed]', (rows) => rows.map((row) => [row.getAttribute('data-threshold-passed'), row.querySelector('code')?.textContent]));
    expect(thresholdRows).toEqual([
      ['true', 'p95<500ms'],
      ['false', 'error_rate<1%'],
      ['true', 'rps>=5'],
      ['false', 'GET /api/products: p95<100ms'],
      ['true', 'GET /api/search: p99<=1.2s'],
    ]);
    const body = await page.textContent('body');
    for (const text of ['GET /api/products/[id]', 'POST /api/cart/items', 'Total', '500 Server Error', 'p95 was 140 ms, limit < 100 ms']) {
      expect(body).toContain(text);
    }
    await page.close();
  });

  it('says so when an abortOnFail threshold stopped the run early', async () => {
    const input = makeReportInput();
    const reason = 'threshold failed: error_rate was 1.3%, limit < 1%';
    const statusHistory = [...input.run.statusHistory, { from: 'Running' as const, to: 'Stopping' as const, at: '2026-11-28T10:00:12.000Z', reason }];
    const { page } = await open({ ...input, run: { ...input.run, status: 'Stopped', autoStopped: false, statusHistory } }, 'aborted');
    expect(await page.getAttribute('[data-verdict]', 'data-verdict')).toBe('fail');
    expect(await page.textContent('[data-verdict]')).toBe(`Failed: stopped early, ${reason}; 2 of 5 thresholds failed`);
    await page.close();
  });

  it('follows a dark colour scheme', async () => {
    const { page } = await open(makeReportInput(), 'dark', 'dark');
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(13, 17, 23)');
    expect((await readCharts(page)).every((chart) => chart.seriesColoured > 150)).toBe(true);
    await page.close();
  });

  it('keeps hostile names as text: nothing in the data can end a script or add markup', async () => {
    const hostile = '</script><script>window.__pwned = 1</script><img src=x>';
    const { page } = await open(makeReportInput({ testName: hostile }), 'hostile');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.textContent('h1')).toBe(hostile);
    expect(await page.getAttribute('html', 'data-charts-ready')).toBe('4');
    await page.close();
  });

  it('says so instead of drawing empty charts when no metrics were recorded', async () => {
    const run = makeRun([], { status: 'Failed', error: 'no callback from Locust within 60s', finishedAt: undefined });
    const { page } = await open({ run, testName: 'products', pushes: [], verdicts: [] }, 'empty');
    expect(await page.getAttribute('html', 'data-charts-ready')).toBe('0');
    expect(await page.textContent('[data-verdict]')).toBe('Failed: no callback from Locust within 60s');
    expect(await page.textContent('body')).toContain('No metrics were recorded');
    await page.close();
  });

  it('references nothing outside the file', () => {
    const html = renderHtmlReport(makeReportInput(), { chartLibrary });
    expect(html).not.toMatch(/\s(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });
});
