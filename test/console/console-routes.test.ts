// The console's server side through app.inject: its page and files under the CSP, the
// session cookie and CSRF token, report downloads equal to the CLI's renderers, history and
// comparison, and the plugin's callbacks out of the API's document.
import { afterEach, describe, expect, it } from 'vitest';
import { renderJUnitReport, renderJsonReport } from '../../src/cli/reports/index.js';
import { toRunView } from '../../src/controlplane/views.js';
import { atSecond, createTestViaApi, json, push, seedRun, startHarness, type Harness } from '../controlplane/_harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const cookieOf = (setCookie: string | string[] | undefined): string => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;

describe('console page and files', () => {
  it('serves the page at / and its built files under a strict CSP; other names are not found', async () => {
    h = await startHarness();
    const page = await h.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.body).toContain('<script type="module" src="/console/app.js">');
    expect(page.body).not.toMatch(/<script>|<style|style=/);
    const app = await h.app.inject({ method: 'GET', url: '/console/app.js' });
    expect(app.statusCode, 'npm run build makes dist/web').toBe(200);
    expect(app.headers['content-type']).toContain('javascript');
    expect(app.body).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)\./);
    expect((await h.app.inject({ method: 'GET', url: '/console/app.css' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/console/..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/console/loadctl.db' })).statusCode).toBe(404);
  });

  it('leaves the plugin’s callbacks out of the Swagger UI (not out of /openapi.json) and lists the console’s API routes', async () => {
    h = await startHarness();
    const shown = Object.keys(json(await h.app.inject({ method: 'GET', url: '/swagger/json' })).paths);
    expect(shown.filter((path) => path.startsWith('/v1/internal/'))).toEqual([]);
    expect(shown).toEqual(expect.arrayContaining(['/v1/runs', '/v1/runs/{id}/report', '/v1/load-tests/{id}/history', '/v1/runs/compare', '/v1/events/runs']));
    expect(shown).not.toContain('/console/session');
    const whole = Object.keys(json(await h.app.inject({ method: 'GET', url: '/openapi.json' })).paths);
    expect(whole).toContain('/v1/internal/locust/metrics');
  });
});

describe('console session with an API token', () => {
  const TOKEN = 'console-token';

  it('logs in with the token once: an HttpOnly SameSite=Strict cookie then authenticates reads; a write needs the CSRF token', async () => {
    h = await startHarness({ apiToken: TOKEN });
    const test = await createTestViaApi(h, {}, { authorization: `Bearer ${TOKEN}` });
    expect(json(await h.app.inject({ method: 'GET', url: '/console/session' }))).toEqual({ authRequired: true, authenticated: false });
    expect((await h.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/v1/runs' })).statusCode).toBe(401);

    const wrong = await h.app.inject({ method: 'POST', url: '/console/session', payload: { token: 'nope' } });
    expect(wrong.statusCode).toBe(200);
    expect(json(wrong)).toMatchObject({ authRequired: true, authenticated: false });
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const login = await h.app.inject({ method: 'POST', url: '/console/session', payload: { token: TOKEN } });
    expect(login.statusCode).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^loadctl_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = cookieOf(login.headers['set-cookie']);
    const csrf = json(login).csrfToken as string;
    expect(json(await h.app.inject({ method: 'GET', url: '/console/session', headers: { cookie } }))).toEqual({ authRequired: true, authenticated: true, csrfToken: csrf });

    expect((await h.app.inject({ method: 'GET', url: '/v1/runs', headers: { cookie } })).statusCode).toBe(200);
    const noCsrf = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {}, headers: { cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(json(noCsrf).error.code).toBe('LOADCTL_CSRF_TOKEN_INVALID');
    const otherCsrf = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {}, headers: { cookie, 'x-csrf-token': `${csrf}x` } });
    expect(otherCsrf.statusCode).toBe(403);
    const withCsrf = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {}, headers: { cookie, 'x-csrf-token': csrf } });
    expect(withCsrf.statusCode, withCsrf.body).toBe(201);

    // A forged or tampered cookie is no session.
    const [name, value] = cookie.split('=') as [string, string];
    const tampered = `${name}=${value.replace(/\.(\d+)\./, (_match, expires: string) => `.${Number(expires) + 999999}.`)}`;
    expect((await h.app.inject({ method: 'GET', url: '/v1/runs', headers: { cookie: tampered } })).statusCode).toBe(401);
    // Bearer clients need no CSRF token, as before.
    expect((await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {}, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(201);
  });

  it('a server without a token needs no session', async () => {
    h = await startHarness();
    expect(json(await h.app.inject({ method: 'GET', url: '/console/session' }))).toEqual({ authRequired: false, authenticated: true });
  });
});

describe('report downloads, history and comparison', () => {
  it('a report download is the renderers’ output for the stored run, as loadctl report writes it', async () => {
    h = await startHarness();
    const test = await createTestViaApi(h);
    const run = await seedRun(h, test, { status: 'Finished', startedAt: atSecond(0), finishedAt: atSecond(4), finalMetrics: push(2, 4, { totalRequests: 40 }) });
    await h.store.appendMetrics(run.id, push(1, 2, { totalRequests: 20, histogram: { '12': 20 } }));
    await h.store.appendMetrics(run.id, push(2, 4, { totalRequests: 40, histogram: { '12': 20 } }));
    const stored = (await h.store.getRun(run.id))!;
    const input = { run: toRunView(stored), testName: test.name, pushes: await h.store.listMetrics(run.id), verdicts: [] };

    const jsonReport = await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/report?format=json` });
    expect(jsonReport.headers['content-disposition']).toBe(`attachment; filename="loadctl-${run.id}.json"`);
    const { generatedAt: _at, ...downloaded } = json(jsonReport);
    const { generatedAt: _none, ...rendered } = renderJsonReport(input) as unknown as Record<string, unknown>;
    expect(downloaded).toEqual(JSON.parse(JSON.stringify(rendered)));

    const junit = await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/report?format=junit` });
    expect(junit.headers['content-type']).toContain('application/xml');
    expect(junit.body).toBe(renderJUnitReport(input));
    const html = await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/report?format=html` });
    expect(html.body).toContain('<html');
    expect(html.headers['content-security-policy']).toBe('sandbox');

    expect((await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/report?format=pdf` })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: '/v1/runs/run_missing/report?format=json' })).statusCode).toBe(404);
  });

  it('history lists a test’s runs oldest first with their summary totals; compare answers runs compare --json', async () => {
    h = await startHarness();
    const test = await createTestViaApi(h);
    const first = await seedRun(h, test, { status: 'Finished', createdAt: atSecond(0), startedAt: atSecond(0), finishedAt: atSecond(10), finalMetrics: push(1, 10, { totalRequests: 100, p95ResponseMs: 50, intervalEnd: atSecond(10) }) });
    const second = await seedRun(h, test, { status: 'Finished', createdAt: atSecond(20), startedAt: atSecond(20), finishedAt: atSecond(30), finalMetrics: push(1, 30, { totalRequests: 300, p95ResponseMs: 90, intervalEnd: atSecond(30) }) });
    const history = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/history` }));
    expect(history.items.map((item: any) => item.runId)).toEqual([first.id, second.id]);
    for (const item of history.items) {
      const summary = json(await h.app.inject({ method: 'GET', url: `/v1/runs/${item.runId}/summary` }));
      expect(item).toMatchObject({ rps: summary.totals.rps, p95ResponseMs: summary.totals.p95ResponseMs, requests: summary.totals.requests });
    }
    expect(history.items.map((item: any) => item.p95ResponseMs)).toEqual([50, 90]);
    const comparison = json(await h.app.inject({ method: 'GET', url: `/v1/runs/compare?baseline=${first.id}&current=${second.id}` }));
    expect(comparison).toMatchObject({ baselineRunId: first.id, currentRunId: second.id, tolerancePercent: 10 });
    expect(comparison.total.deltas.p95).toMatchObject({ baseline: 50, current: 90, worse: true });
    expect((await h.app.inject({ method: 'GET', url: `/v1/runs/compare?baseline=${first.id}&current=run_none` })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt_none/history' })).statusCode).toBe(404);
  });
});
