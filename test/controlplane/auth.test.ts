// Who may call what. The public API knows one credential, the API token; the plugin's
// callbacks know only their run's token. Any other token is simply wrong: 401, never 403
// (LOADCTL_FORBIDDEN stays reserved for credentials that are valid but not allowed here).
import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { NEW_TEST, atSecond, createTestViaApi, expectError, json, push, seedRun, startHarness, storeContents, waitForRun, type CreatedTest, type Harness } from './_harness.js';

const API_TOKEN = 'api-secret';
const AUTHORIZED = { authorization: `Bearer ${API_TOKEN}` };

let h: Harness;
let test: CreatedTest;
let run: Run;

beforeEach(async () => {
  h = await startHarness({ apiToken: API_TOKEN });
  test = await createTestViaApi(h, {}, AUTHORIZED);
  run = await seedRun(h, test, { status: 'Finished', startedAt: atSecond(0), finishedAt: atSecond(4) });
  await h.store.appendMetrics(run.id, push(1, 2, { totalRequests: 10, histogram: { '12': 10 } }));
});
afterEach(async () => {
  await h.close();
});

/** Every public route, each with a request that would succeed (or at least get past auth) with the token. */
function publicRequests(): InjectOptions[] {
  const script = { scriptContent: NEW_TEST.scriptContent };
  return [
    { method: 'POST', url: '/v1/load-tests', payload: NEW_TEST },
    { method: 'GET', url: '/v1/load-tests' },
    { method: 'GET', url: `/v1/load-tests/${test.id}` },
    { method: 'PUT', url: `/v1/load-tests/${test.id}`, payload: { name: 'renamed' } },
    { method: 'GET', url: `/v1/load-tests/${test.id}/script` },
    { method: 'PUT', url: `/v1/load-tests/${test.id}/script`, payload: script },
    { method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions` },
    { method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/1` },
    { method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: {} },
    { method: 'GET', url: `/v1/load-tests/${test.id}/runs` },
    { method: 'GET', url: '/v1/runs' },
    { method: 'GET', url: `/v1/runs/${run.id}` },
    { method: 'GET', url: `/v1/runs/${run.id}/summary` },
    { method: 'GET', url: `/v1/runs/${run.id}/events` },
    { method: 'GET', url: `/v1/runs/${run.id}/metrics` },
    { method: 'GET', url: `/v1/runs/${run.id}/metrics/timeseries?step=2` },
    { method: 'GET', url: `/v1/runs/${run.id}/metrics/aggregate` },
    { method: 'GET', url: `/v1/runs/${run.id}/metrics/scatter` },
    { method: 'GET', url: `/v1/runs/${run.id}/graph` },
    { method: 'GET', url: `/v1/runs/${run.id}/requests` },
    { method: 'GET', url: `/v1/visualization/runs/${run.id}/summary` },
    { method: 'GET', url: `/v1/visualization/runs/${run.id}/timeline` },
    { method: 'GET', url: `/v1/visualization/runs/${run.id}/graph` },
    { method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/${test.latestRevisionId}` },
    { method: 'POST', url: `/v1/runs/${run.id}/stop` },
    { method: 'DELETE', url: `/v1/load-tests/${test.id}` },
  ];
}

describe('the public API with an API token configured', { timeout: 60_000 }, () => {
  it('refuses every route 401 without a token, with a wrong one, with a run’s callback token, or in X-Locust-Token, changing nothing', async () => {
    const before = await storeContents(h.store);
    const wrongCredentials: Record<string, string>[] = [
      {},
      { authorization: 'Bearer api-secreT' },
      { authorization: `Bearer ${run.callbackToken}` },
      { authorization: API_TOKEN },
      { 'x-locust-token': API_TOKEN },
    ];
    for (const request of publicRequests()) {
      for (const headers of wrongCredentials) {
        const response = await h.app.inject({ ...request, headers });
        const what = `${request.method} ${request.url} with ${JSON.stringify(headers)}`;
        expect(response.statusCode, what).toBe(401);
        expect(json(response).error.code, what).toBe('LOADCTL_UNAUTHORIZED');
      }
    }
    expect(await storeContents(h.store)).toEqual(before);
    expect(h.launches).toEqual([]);
  });

  it('lets every route past with the right token', async () => {
    for (const request of publicRequests()) {
      const response = await h.app.inject({ ...request, headers: AUTHORIZED });
      const what = `${request.method} ${request.url}: ${response.body}`;
      // Past auth, a route may still refuse on its own terms (stopping a finished run is 409).
      expect([401, 403], what).not.toContain(response.statusCode);
      expect(response.statusCode, what).toBeLessThan(500);
      // The started run ends Failed (no Locust here); let it, before the store closes.
      if (request.method === 'POST' && String(request.url).endsWith('/runs')) await waitForRun(h.store, json(response).id, (started) => started.status === 'Failed');
    }
  });

  it('still answers 404 for unknown ids once authenticated', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt_missing', headers: AUTHORIZED }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expectError(await h.app.inject({ method: 'GET', url: '/v1/runs/run_missing/summary', headers: AUTHORIZED }), 404, 'LOADCTL_RUN_NOT_FOUND');
    expectError(await h.app.inject({ method: 'DELETE', url: '/v1/load-tests/lt_missing', headers: AUTHORIZED }), 404, 'LOADCTL_TEST_NOT_FOUND');
  });

  it('does not accept the API token on a callback: callbacks know only their run’s token', async () => {
    const active = await seedRun(h, test, { status: 'Running', startedAt: atSecond(0) });
    const before = await storeContents(h.store);
    const payload = { runId: active.id, seq: 1, timestamp: atSecond(2), totalRequests: 1, totalFailures: 0 };
    const response = await h.app.inject({ method: 'POST', url: '/v1/internal/locust/metrics', payload, headers: AUTHORIZED });
    expectError(response, 401, 'LOADCTL_UNAUTHORIZED');
    expect(await storeContents(h.store)).toEqual(before);
  });
});

describe('the public API without an API token (loopback only)', () => {
  it('is open, and ignores whatever token is sent', async () => {
    const open = await startHarness();
    try {
      for (const headers of [{}, { authorization: 'Bearer anything' }]) {
        expect((await open.app.inject({ method: 'GET', url: '/v1/load-tests', headers })).statusCode).toBe(200);
      }
    } finally {
      await open.close();
    }
  });
});
