import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { screenshot, watchPage } from '../support/console-browser.js';
import { seedStore, type Seeded } from '../support/console-seed.js';
import { startServe, type ServeProcess } from '../support/serve.js';

const TOKEN = 'console-secret-token';

describe('web console behind an API token', () => {
  let workDir: string;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let seeded: Seeded;
  let attacker: Server;
  let attackerUrl: string;
  const requested: string[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-console-auth-'));
    seeded = await seedStore(workDir, [{ requests: 1000, failures: 0, p95: 100 }]);
    [serve, browser] = await Promise.all([startServe(['--port', '0', '--token', TOKEN, '--data-dir', workDir]), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.on('request', (request) => requested.push(request.url()));
    // Another site (same host, other port: the same "site" for SameSite) whose page posts to the control plane.
    attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<form id="f" method="POST" action="${serve.url}/v1/runs/${seeded.runs[0]!.id}/stop" enctype="text/plain"><input name="x" value="y"></form>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await new Promise((resolve) => attacker?.close(resolve));
    rmSync(workDir, { recursive: true, force: true });
  });

  const logIn = async (page: Page, token: string) => {
    await page.fill('#token', token);
    await page.click('form.login button[type=submit]');
  };

  it('without a session the console asks for the token; a wrong one gets a message; the right one opens the pages', async () => {
    const page = await context.newPage();
    const loginWatch = watchPage(page, serve.url);
    await page.goto(`${serve.url}/#/runs`);
    await page.waitForSelector('#token');
    expect(page.url()).toContain('#/login');
    await screenshot(page, 'login');

    await logIn(page, 'not-the-token');
    await page.waitForSelector('[role=alert]');
    expect(await page.locator('[role=alert]').textContent()).toContain('That token is wrong');
    expect((await context.cookies()).filter((cookie) => cookie.name === 'loadctl_session')).toEqual([]);

    await logIn(page, TOKEN);
    await page.waitForSelector('#runs-table tbody tr');
    const [cookie] = (await context.cookies()).filter((entry) => entry.name === 'loadctl_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The token lives nowhere a script or a URL could leak it.
    expect(await page.evaluate('JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie')).not.toContain(TOKEN);
    expect(requested.filter((url) => url.includes(TOKEN))).toEqual([]);
    expect(loginWatch.problems()).toEqual([]);
    await page.close();

    // The session carries to every page; none shows an error or loads anything from elsewhere.
    for (const path of ['#/runs', `#/runs/${seeded.runs[0]!.id}`, '#/tests', `#/tests/${seeded.testId}`, `#/compare?baseline=${seeded.runs[0]!.id}&current=${seeded.runs[0]!.id}`]) {
      const view = await context.newPage();
      const watch = watchPage(view, serve.url);
      await view.goto(`${serve.url}/${path}`);
      await view.waitForSelector('main h1');
      await view.waitForLoadState('networkidle').catch(() => undefined);
      expect(await view.locator('main h1').textContent(), path).not.toContain('Log in');
      expect(view.url(), path).not.toContain('#/login');
      expect(watch.problems(), path).toEqual([]);
      await view.close();
    }
  });

  it('refuses a cross-site POST even though the browser sends the session cookie, and a same-origin one without the CSRF token', async () => {
    const page = await context.newPage();
    await page.goto(attackerUrl);
    const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.url().includes('/stop')), page.evaluate("document.getElementById('f').submit()")]);
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('LOADCTL_ORIGIN_NOT_ALLOWED');

    await page.goto(`${serve.url}/#/tests`);
    await page.waitForSelector('#tests-table');
    const forged = (await page.evaluate(`fetch('/v1/load-tests/${seeded.testId}/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(async (r) => [r.status, await r.text()])`)) as [number, string];
    expect(forged[0]).toBe(403);
    expect(forged[1]).toContain('LOADCTL_CSRF_TOKEN_INVALID');
    const runs = (await (await fetch(`${serve.url}/v1/runs`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { total: number };
    expect(runs.total).toBe(1);
    await page.close();
  });
});
