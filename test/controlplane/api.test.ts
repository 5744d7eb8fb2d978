import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLUGIN_IMPORT } from '../../src/domain/inject-plugin.js';
import { SHOP_SCRIPT, base64, createTestViaApi, json, startHarness, waitForRun, type Harness } from './_harness.js';

const NEW_TEST = { name: 'shop', targetUrl: 'http://127.0.0.1:8000', scriptContent: base64(SHOP_SCRIPT) };

let h: Harness;

async function createTest(body: Record<string, unknown> = NEW_TEST): Promise<Record<string, any>> {
  const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return json(response);
}

/** Starts a run; with the never-starting spawner it ends Failed, which is awaited. */
async function startFailedRun(loadTestId: string): Promise<{ id: string; callbackToken: string }> {
  const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${loadTestId}/runs`, payload: { targetUsers: 2, durationSeconds: 10 } });
  expect(response.statusCode, response.body).toBe(201);
  const run = await waitForRun(h.store, json(response).id, (stored) => stored.status === 'Failed');
  // Failed because the fake Locust exited, not for some other reason.
  expect(run.error).toContain('the test spawner starts no Locust');
  return { id: run.id, callbackToken: await h.callbackTokenOf(run.id) };
}

function callback(runId: string, seq = 1): Record<string, unknown> {
  return { runId, seq, timestamp: new Date().toISOString(), totalRequests: 10, totalFailures: 1, histogram: { '12': 10 } };
}

describe('control plane HTTP API', { timeout: 30_000 }, () => {
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('GET /health answers 200 {status: ok} over a working store', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ status: 'ok' });
  });

  describe('POST /v1/load-tests', () => {
    it('creates a test with revision 1 and no runs, storing the clean and the injected script', async () => {
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, tags: ['smoke'], defaultUsers: 3, orgId: 'org-7' } });
      expect(response.statusCode, response.body).toBe(201);
      const body = json(response);
      expect(body).toMatchObject({ name: 'shop', targetUrl: 'http://127.0.0.1:8000', tags: ['smoke'], defaultUsers: 3, orgId: 'org-7', latestRevision: 1, recentRuns: [] });
      expect(body.id).toMatch(/^lt_/);
      expect(body.latestRevisionId).toMatch(/^rev_/);

      const revision = await h.store.getScriptRevision(body.latestRevisionId);
      expect(revision?.cleanScript).toBe(SHOP_SCRIPT);
      expect(revision?.injectedScript.split('\n').slice(0, 2)).toEqual(['"""Browse the shop."""', PLUGIN_IMPORT]);
      expect(json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${body.id}` }))).toMatchObject({ id: body.id, latestRevisionId: body.latestRevisionId });
    });

    it('refuses a missing name with LOADCTL_BAD_REQUEST naming the field', async () => {
      const { name: _name, ...withoutName } = NEW_TEST;
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: withoutName });
      expect(response.statusCode).toBe(400);
      expect(json(response).error).toMatchObject({ code: 'LOADCTL_BAD_REQUEST', details: { field: 'name' } });
    });

    it.each(['localhost:8000', 'ftp://files.test/x', 'http://has space.test'])('refuses the targetUrl %j', async (targetUrl) => {
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, targetUrl } });
      expect(response.statusCode).toBe(400);
      expect(json(response).error).toMatchObject({ code: 'LOADCTL_BAD_REQUEST', details: { field: 'targetUrl' } });
    });

    it('refuses scriptContent that is not base64 with LOADCTL_SCRIPT_INVALID', async () => {
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, scriptContent: 'from locust import HttpUser' } });
      expect(response.statusCode).toBe(400);
      expect(json(response).error).toMatchObject({ code: 'LOADCTL_SCRIPT_INVALID', details: { field: 'scriptContent' } });
    });

    it('refuses a Python syntax error with LOADCTL_SCRIPT_SYNTAX naming the line', async () => {
      const broken = 'from locust import HttpUser, task\n\nclass Shopper(HttpUser):\n    @task\n    def browse(self)\n        self.client.get("/")\n';
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, scriptContent: base64(broken) } });
      expect(response.statusCode).toBe(400);
      const { error } = json(response);
      expect(error.code).toBe('LOADCTL_SCRIPT_SYNTAX');
      expect(error.message).toContain('line 5');
      expect(error.message).toContain('def browse(self)');
      expect(error.details).toMatchObject({ field: 'scriptContent', line: 5 });
    });

    it('refuses what only the compiler catches, e.g. a late from __future__ import', async () => {
      const script = 'import os\nfrom __future__ import annotations\nfrom locust import HttpUser\n\nclass U(HttpUser):\n    pass\n';
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { name: 'late-future', targetUrl: 'http://127.0.0.1:8000', scriptContent: base64(script) } });
      expect(response.statusCode).toBe(400);
      expect(json(response).error.code).toBe('LOADCTL_SCRIPT_SYNTAX');
      expect(json(response).error.message).toContain('line 2');
    });

    it('refuses a script without a Locust User class', async () => {
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, scriptContent: base64('print("hello")\n') } });
      expect(response.statusCode).toBe(400);
      expect(json(response).error.code).toBe('LOADCTL_SCRIPT_INVALID');
      expect(json(response).error.message).toMatch(/User class/);
    });

    it('stores nothing when a script is refused', async () => {
      await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, scriptContent: base64('def (:\n') } });
      await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, scriptContent: '!!!' } });
      expect((await h.store.listLoadTests({ limit: 10, offset: 0 })).total).toBe(0);
    });
  });

  it('GET of an unknown test is 404 LOADCTL_TEST_NOT_FOUND', async () => {
    for (const url of ['/v1/load-tests/lt_missing', '/v1/load-tests/lt_missing/script/revisions']) {
      const response = await h.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(json(response).error.code).toBe('LOADCTL_TEST_NOT_FOUND');
    }
    const run = await h.app.inject({ method: 'POST', url: '/v1/load-tests/lt_missing/runs', payload: {} });
    expect(run.statusCode).toBe(404);
    expect(json(run).error.code).toBe('LOADCTL_TEST_NOT_FOUND');
  });

  it('PUT /v1/load-tests/{id}/script adds revision 2 and makes it the latest', async () => {
    const test = await createTest();
    const changed = SHOP_SCRIPT.replace('/products', '/cart');
    const put = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}/script`, payload: { scriptContent: base64(changed) } });
    expect(put.statusCode, put.body).toBe(201);
    expect(json(put)).toMatchObject({ loadTestId: test.id, revision: 2 });
    expect(json(put)).not.toHaveProperty('cleanScript');

    const revisions = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions` }));
    expect(revisions.total).toBe(2);
    expect(revisions.items.map((revision: { revision: number }) => revision.revision)).toEqual([1, 2]);
    expect(revisions.items[1].id).toBe(json(put).id);

    const latest = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script` }));
    expect(Buffer.from(latest.scriptContent, 'base64').toString('utf8')).toBe(changed);
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}` })).latestRevisionId).toBe(json(put).id);
  });

  describe('malformed requests get JSON errors', () => {
    it('an unknown route is 404 LOADCTL_NOT_FOUND', async () => {
      const response = await h.app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(json(response).error).toMatchObject({ code: 'LOADCTL_NOT_FOUND' });
      expect(json(response).error.message).toContain('/v1/nothing-here');
    });

    it('a body over the limit is 413 LOADCTL_BODY_TOO_LARGE: 2 MiB, 14 MiB where a script may come with a bundle', async () => {
      const cases = [
        { method: 'PUT' as const, url: `/v1/load-tests/${(await createTestViaApi(h)).id}`, payload: JSON.stringify({ description: 'A'.repeat(2 * 1024 * 1024) }) },
        { method: 'POST' as const, url: '/v1/load-tests', payload: JSON.stringify({ ...NEW_TEST, bundle: 'A'.repeat(14 * 1024 * 1024) }) },
      ];
      for (const { method, url, payload } of cases) {
        const response = await h.app.inject({ method, url, payload, headers: { 'content-type': 'application/json' } });
        expect(response.statusCode, url).toBe(413);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(json(response).error.code).toBe('LOADCTL_BODY_TOO_LARGE');
      }
    });

    it('malformed JSON is 400 LOADCTL_BAD_REQUEST', async () => {
      const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: '{"name": "shop",', headers: { 'content-type': 'application/json' } });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(json(response).error.code).toBe('LOADCTL_BAD_REQUEST');
    });
  });

  describe('runs', () => {
    it('never shows the callback token, neither when created nor when read', async () => {
      const test = await createTest();
      const created = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {} });
      expect(created.statusCode).toBe(201);
      expect(json(created)).toMatchObject({ loadTestId: test.id, scriptRevisionId: test.latestRevisionId });
      expect(json(created)).not.toHaveProperty('callbackToken');

      const runId = json(created).id;
      const stored = await waitForRun(h.store, runId, (run) => run.status === 'Failed');
      const token = await h.callbackTokenOf(runId);
      expect(token.length).toBeGreaterThan(20);
      const read = await h.app.inject({ method: 'GET', url: `/v1/runs/${runId}` });
      expect(read.statusCode).toBe(200);
      expect(json(read)).toMatchObject({ id: runId, status: 'Failed' });
      expect(json(read)).not.toHaveProperty('callbackToken');
      expect(read.body).not.toContain(token);
      expect(read.body).not.toContain(stored.callbackTokenHash);
      const list = await h.app.inject({ method: 'GET', url: '/v1/runs' });
      expect(list.body).not.toContain('callbackToken');
    });

    it('refuses to stop a run that has ended: 409 LOADCTL_RUN_CONFLICT', async () => {
      const test = await createTest();
      const run = await startFailedRun(test.id);
      const response = await h.app.inject({ method: 'POST', url: `/v1/runs/${run.id}/stop` });
      expect(response.statusCode).toBe(409);
      expect(json(response).error).toMatchObject({ code: 'LOADCTL_RUN_CONFLICT', details: { status: 'Failed' } });
      expect((await h.store.getRun(run.id))?.status).toBe('Failed');
    });

    it('stopping an unknown run is 404 LOADCTL_RUN_NOT_FOUND', async () => {
      const response = await h.app.inject({ method: 'POST', url: '/v1/runs/run_missing/stop' });
      expect(response.statusCode).toBe(404);
      expect(json(response).error.code).toBe('LOADCTL_RUN_NOT_FOUND');
    });
  });

  describe('plugin callbacks', () => {
    it('refuses an unknown run or a wrong token with 401 and changes nothing', async () => {
      const test = await createTest();
      const run = await startFailedRun(test.id);
      const before = await h.store.getRun(run.id);

      const attempts = [
        { runId: 'run_unknown', headers: { authorization: `Bearer ${run.callbackToken}` } },
        { runId: run.id, headers: { authorization: 'Bearer not-the-token' } },
        { runId: run.id, headers: { 'x-locust-token': 'not-the-token' } },
        { runId: run.id, headers: {} },
      ];
      for (const { runId, headers } of attempts) {
        for (const kind of ['test-start', 'metrics', 'test-stop']) {
          const response = await h.app.inject({ method: 'POST', url: `/v1/internal/locust/${kind}`, payload: callback(runId), headers });
          expect(response.statusCode, `${kind} ${JSON.stringify(headers)}`).toBe(401);
          expect(json(response).error.code).toBe('LOADCTL_UNAUTHORIZED');
        }
      }
      expect(await h.store.getRun(run.id)).toEqual(before);
      expect(await h.store.listMetrics(run.id)).toEqual([]);
      expect(await h.store.listMetrics('run_unknown')).toEqual([]);
    });

    it('does not let one run’s token post for another run', async () => {
      const test = await createTest();
      const runA = await startFailedRun(test.id);
      const runB = await startFailedRun(test.id);
      const beforeB = await h.store.getRun(runB.id);

      const crossed = await h.app.inject({ method: 'POST', url: '/v1/internal/locust/metrics', payload: callback(runB.id), headers: { authorization: `Bearer ${runA.callbackToken}` } });
      expect(crossed.statusCode).toBe(401);
      expect(json(crossed).error.code).toBe('LOADCTL_UNAUTHORIZED');
      expect(await h.store.listMetrics(runB.id)).toEqual([]);
      expect(await h.store.getRun(runB.id)).toEqual(beforeB);

      // The same request with B's own token is accepted: the token alone made the difference.
      const own = await h.app.inject({ method: 'POST', url: '/v1/internal/locust/test-start', payload: callback(runB.id), headers: { authorization: `Bearer ${runB.callbackToken}` } });
      expect(own.statusCode, own.body).toBe(200);
      expect(json(own)).toEqual({ success: true, status: 'Failed' });
    });

    it('answers a callback without a token 401 before looking at its body', async () => {
      const response = await h.app.inject({ method: 'POST', url: '/v1/internal/locust/metrics', payload: { nonsense: true } });
      expect(response.statusCode).toBe(401);
      expect(json(response).error.code).toBe('LOADCTL_UNAUTHORIZED');
    });

    it('ignores a metrics push that arrives after the run ended', async () => {
      const test = await createTest();
      const run = await startFailedRun(test.id);
      const before = await h.store.getRun(run.id);
      const late = await h.app.inject({ method: 'POST', url: '/v1/internal/locust/metrics', payload: { ...callback(run.id), seq: 1, totalRequests: 7 }, headers: { authorization: `Bearer ${run.callbackToken}` } });
      expect(late.statusCode, late.body).toBe(200);
      expect(json(late)).toMatchObject({ status: 'Failed', duplicate: true });
      expect(await h.store.listMetrics(run.id)).toEqual([]);
      expect(await h.store.getRun(run.id)).toEqual(before);
    });
  });
});

describe('control plane with an API token', { timeout: 30_000 }, () => {
  beforeEach(async () => {
    h = await startHarness({ apiToken: 'api-secret' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses a request without the token: 401 LOADCTL_UNAUTHORIZED', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/load-tests' });
    expect(response.statusCode).toBe(401);
    expect(json(response).error.code).toBe('LOADCTL_UNAUTHORIZED');
  });

  it('refuses a wrong token, and stores nothing for a refused upload', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: NEW_TEST, headers: { authorization: 'Bearer api-secreT' } });
    expect(response.statusCode).toBe(401);
    expect(json(response).error.code).toBe('LOADCTL_UNAUTHORIZED');
    expect((await h.store.listLoadTests({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('does not take the token from X-Locust-Token on the public API', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/load-tests', headers: { 'x-locust-token': 'api-secret' } });
    expect(response.statusCode).toBe(401);
  });

  it('accepts the right token', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/v1/load-tests', headers: { authorization: 'Bearer api-secret' } });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ items: [], total: 0 });
  });

  it('keeps /health open', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ status: 'ok' });
  });

  it('lets callbacks through with their run token instead of the API token', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: NEW_TEST, headers: { authorization: 'Bearer api-secret' } });
    expect(created.statusCode, created.body).toBe(201);
    const started = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${json(created).id}/runs`, payload: {}, headers: { authorization: 'Bearer api-secret' } });
    const run = await waitForRun(h.store, json(started).id, (stored) => stored.status === 'Failed');

    const response = await h.app.inject({ method: 'POST', url: '/v1/internal/locust/test-start', payload: callback(run.id), headers: { authorization: `Bearer ${await h.callbackTokenOf(run.id)}` } });
    expect(response.statusCode, response.body).toBe(200);
  });
});
