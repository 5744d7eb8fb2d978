import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { startServe, type ServeProcess } from '../support/serve.js';

describe('Swagger UI of loadctl serve', () => {
  let workDir: string;
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-swagger-'));
    [serve, browser] = await Promise.all([startServe(['--port', '0', '--data-dir', workDir]), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('opens in headless Chromium with no internet and lists the API’s endpoints', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.goto(`${serve.url}/swagger`);
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((node) => node.getAttribute('data-path') ?? node.textContent?.trim() ?? ''));
    for (const path of ['/health', '/v1/load-tests', '/v1/load-tests/{id}/runs', '/v1/runs', '/v1/runs/{id}', '/v1/runs/{id}/stop', '/v1/runs/{id}/events']) {
      expect(paths.map((text) => text.replace(/\u200b/g, ''))).toContain(path);
    }
    // The plugin's callbacks are for the plugin: not shown here (they stay in /openapi.json).
    expect(paths.filter((path) => path.replace(/\u200b/g, '').startsWith('/v1/internal/'))).toEqual([]);
    const screenshot = join(workDir, 'swagger.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    // Everything came from loadctl itself (the UI's assets are in the npm package).
    expect(failed).toEqual([]);
  });
});
