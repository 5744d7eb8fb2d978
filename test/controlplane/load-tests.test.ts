// /v1/load-tests: create, list, read, change, delete.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestViaApi, expectBadRequest, expectError, json, seedRun, startHarness, storeContents, NEW_TEST, type Harness } from './_harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const METADATA = { 'team.name': 'shop', $owner: 'ana', nested: { list: [1, 'two'], empty: {} } };
const nestedDeep = (depth: number): unknown => (depth === 0 ? 1 : { a: nestedDeep(depth - 1) });

describe('POST /v1/load-tests', () => {
  it('answers 201 with every field, extra fields and free-form metadata intact', async () => {
    const body = { ...NEW_TEST, description: 'Browse', tags: ['smoke'], defaultUsers: 3, defaultSpawnRate: 1.5, defaultDurationSec: 20, maxDurationSec: 60, accountId: 'acc', orgId: 'org', projectId: 'prj', envId: 'env', createdBy: 'ana', metadata: METADATA };
    const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: body });
    expect(response.statusCode, response.body).toBe(201);
    const { scriptContent: _script, ...expected } = body;
    expect(json(response)).toEqual({ ...expected, id: expect.stringMatching(/^lt_/), latestRevisionId: expect.stringMatching(/^rev_/), latestRevision: 1, recentRuns: [], createdAt: expect.any(String), updatedAt: expect.any(String) });
  });

  it.each([
    ['name', { name: { first: 'x' } }],
    ['name', { name: '' }],
    ['tags', { tags: { smoke: true } }],
    ['tags.0', { tags: [''] }],
    ['defaultUsers', { defaultUsers: 0 }],
    ['defaultUsers', { defaultUsers: 100_001 }],
    ['defaultUsers', { defaultUsers: 'many' }],
    ['defaultSpawnRate', { defaultSpawnRate: 0 }],
    ['defaultDurationSec', { defaultDurationSec: 1.5 }],
    ['maxDurationSec', { maxDurationSec: 7 * 24 * 3600 + 1 }],
    ['defaultDurationSec', { defaultDurationSec: 120, maxDurationSec: 60 }],
    ['metadata', { metadata: 'not an object' }],
    ['metadata', { metadata: nestedDeep(40) }],
    ['metadata', { metadata: { notes: 'x'.repeat(65 * 1024) } }],
    ['bogus', { bogus: 1 }],
  ])('refuses a bad %s and stores nothing', async (field, change) => {
    const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, ...change } });
    expectBadRequest(response, field);
    expect((await h.store.listLoadTests({ limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('GET /v1/load-tests', () => {
  it('lists newest first with the total and the page, filtered by name and tag', async () => {
    const first = await createTestViaApi(h, { name: 'Checkout', tags: ['smoke'] });
    const second = await createTestViaApi(h, { name: 'Search', tags: ['smoke', 'nightly'] });
    const third = await createTestViaApi(h, { name: 'checkout v2' });

    const page = json(await h.app.inject({ method: 'GET', url: '/v1/load-tests?limit=2&offset=0' }));
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.items.map((test: { id: string }) => test.id)).toEqual([third.id, second.id]);
    expect(page.items[0]).toEqual(third);

    const byName = json(await h.app.inject({ method: 'GET', url: '/v1/load-tests?name=CHECKOUT' }));
    expect(byName.items.map((test: { id: string }) => test.id)).toEqual([third.id, first.id]);
    const byTag = json(await h.app.inject({ method: 'GET', url: '/v1/load-tests?tag=nightly' }));
    expect(byTag).toMatchObject({ total: 1, items: [{ id: second.id }] });
  });

  it.each([
    ['limit', 'limit=0'],
    ['limit', 'limit=501'],
    ['limit', 'limit=ten'],
    ['offset', 'offset=-1'],
    // Ajv turns the text into Infinity and skips its bounds; the route must not.
    ['limit', 'limit=Infinity'],
    ['offset', 'offset=1e400'],
    ['bogus', 'bogus=1'],
  ])('refuses a bad %s (%s)', async (field, query) => {
    expectBadRequest(await h.app.inject({ method: 'GET', url: `/v1/load-tests?${query}` }), field);
  });
});

describe('GET /v1/load-tests/{id}', () => {
  it('reads the test as created', async () => {
    const test = await createTestViaApi(h, { metadata: METADATA });
    const response = await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}` });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual(test);
  });

  it('refuses an id with characters ids never have, and answers 404 for an unknown one', async () => {
    expectBadRequest(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt%20x' }), 'id');
    expectBadRequest(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${'x'.repeat(65)}` }), 'id');
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt_missing' }), 404, 'LOADCTL_TEST_NOT_FOUND');
  });
});

describe('PUT /v1/load-tests/{id}', () => {
  it('changes the given fields, keeps the others and the script, and moves updatedAt', async () => {
    const test = await createTestViaApi(h, { tags: ['smoke'], orgId: 'org-1', maxDurationSec: 600 });
    const change = { name: 'shop v2', description: 'Now with cart', tags: ['nightly'], targetUrl: 'https://shop.test/', defaultUsers: 20, defaultSpawnRate: 2.5, defaultDurationSec: 300 };
    const response = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}`, payload: change });

    expect(response.statusCode, response.body).toBe(200);
    const updated = json(response);
    expect(updated).toEqual({ ...test, ...change, targetUrl: 'https://shop.test', updatedAt: expect.any(String) });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(test.updatedAt));
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}` }))).toEqual(updated);
    expect((await h.store.listScriptRevisions(test.id)).map((revision) => revision.revision)).toEqual([1]);
  });

  it('sets extra fields one by one and removes those sent as null, with the duration cap', async () => {
    const test = await createTestViaApi(h, { orgId: 'org-1', envId: 'env-1', maxDurationSec: 600 });
    const response = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}`, payload: { orgId: null, projectId: 'p-2', metadata: METADATA, maxDurationSec: null } });
    expect(response.statusCode, response.body).toBe(200);
    const updated = json(response);
    expect(updated).toMatchObject({ envId: 'env-1', projectId: 'p-2', metadata: METADATA });
    expect(updated).not.toHaveProperty('orgId');
    expect(updated).not.toHaveProperty('maxDurationSec');
    // Scope fields are fields of their own; extra keeps the rest.
    const stored = await h.store.getLoadTest(test.id);
    expect(stored).toMatchObject({ envId: 'env-1', projectId: 'p-2' });
    expect(stored).not.toHaveProperty('orgId');
    expect(stored?.extra).toEqual({ metadata: METADATA });
  });

  it.each([
    ['defaultDurationSec', { defaultDurationSec: 601 }],
    ['maxDurationSec', { maxDurationSec: 59 }],
  ])('refuses a %s that puts the default above the cap, changing nothing', async (field, change) => {
    const test = await createTestViaApi(h, { defaultDurationSec: 60, maxDurationSec: 600 });
    const before = await storeContents(h.store);
    expectBadRequest(await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}`, payload: { name: 'renamed', ...change } }), field);
    expect(await storeContents(h.store)).toEqual(before);
  });

  it.each([
    ['name', { name: '' }],
    ['name', { name: 'x'.repeat(201) }],
    ['name', { name: { text: 'x' } }],
    ['description', { description: 'x'.repeat(2001) }],
    ['tags', { tags: { smoke: true } }],
    ['targetUrl', { targetUrl: 'localhost:8000' }],
    ['defaultUsers', { defaultUsers: 0 }],
    ['defaultUsers', { defaultUsers: 'lots' }],
    ['defaultSpawnRate', { defaultSpawnRate: -1 }],
    ['defaultDurationSec', { defaultDurationSec: 0 }],
    ['maxDurationSec', { maxDurationSec: 0 }],
    ['orgId', { orgId: '' }],
    ['metadata', { metadata: 'text' }],
    ['metadata', { metadata: nestedDeep(40) }],
    ['scriptContent', { scriptContent: NEW_TEST.scriptContent }],
    ['bogus', { bogus: true }],
    ['body', {}],
  ])('refuses a bad %s, changing nothing', async (field, payload) => {
    const test = await createTestViaApi(h);
    const before = await storeContents(h.store);
    expectBadRequest(await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}`, payload }), field);
    expect(await storeContents(h.store)).toEqual(before);
  });

  it('answers 404 for an unknown test and creates nothing', async () => {
    expectError(await h.app.inject({ method: 'PUT', url: '/v1/load-tests/lt_missing', payload: { name: 'ghost' } }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expect((await h.store.listLoadTests({ limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('DELETE /v1/load-tests/{id}', () => {
  it('answers 204 with no body and removes the test, its revisions, runs and metrics, and nothing else', async () => {
    const doomed = await createTestViaApi(h);
    await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${doomed.id}/script`, payload: { scriptContent: NEW_TEST.scriptContent } });
    const run = await seedRun(h, doomed);
    await h.store.appendMetrics(run.id, { seq: 1, timestamp: '2025-01-01T00:00:02.000Z', totalRps: 1, totalRequests: 2, totalFailures: 0, currentUsers: 1, errorRate: 0, avgResponseMs: 5, p50ResponseMs: 5, p95ResponseMs: 5, p99ResponseMs: 5, requestStats: {}, errors: [], histogram: { '5': 2 } });
    const kept = await createTestViaApi(h, { name: 'kept' });
    const keptRun = await seedRun(h, kept);

    const response = await h.app.inject({ method: 'DELETE', url: `/v1/load-tests/${doomed.id}` });
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');

    expectError(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${doomed.id}` }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expectError(await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}` }), 404, 'LOADCTL_RUN_NOT_FOUND');
    expect(await h.store.listScriptRevisions(doomed.id)).toEqual([]);
    expect(await h.store.listMetrics(run.id)).toEqual([]);
    const remaining = json(await h.app.inject({ method: 'GET', url: '/v1/load-tests' }));
    expect(remaining).toMatchObject({ total: 1, items: [{ id: kept.id }] });
    expect(json(await h.app.inject({ method: 'GET', url: '/v1/runs' })).items.map((item: { id: string }) => item.id)).toEqual([keptRun.id]);
  });

  it.each(['Pending', 'Starting', 'Running', 'Stopping'] as const)('refuses with 409 while a run is %s, deleting nothing', async (status) => {
    const test = await createTestViaApi(h);
    const active = await seedRun(h, test, { status });
    const before = await storeContents(h.store);

    const response = await h.app.inject({ method: 'DELETE', url: `/v1/load-tests/${test.id}` });
    expectError(response, 409, 'LOADCTL_RUN_CONFLICT');
    expect(json(response).error.details).toEqual({ runId: active.id, status });
    expect(json(response).error.message).toContain(`POST /v1/runs/${active.id}/stop`);
    expect(await storeContents(h.store)).toEqual(before);
  });

  it('answers 404 for an unknown test, also when deleting twice, and 400 for a malformed id', async () => {
    const test = await createTestViaApi(h);
    expect((await h.app.inject({ method: 'DELETE', url: `/v1/load-tests/${test.id}` })).statusCode).toBe(204);
    expectError(await h.app.inject({ method: 'DELETE', url: `/v1/load-tests/${test.id}` }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expectError(await h.app.inject({ method: 'DELETE', url: '/v1/load-tests/lt_missing' }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expectBadRequest(await h.app.inject({ method: 'DELETE', url: '/v1/load-tests/lt.x' }), 'id');
  });
});
