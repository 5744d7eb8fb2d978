// /v1/load-tests/{id}/script: the latest script, new revisions, and revisions by number.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { injectPlugin } from '../../src/domain/inject-plugin.js';
import { SHOP_SCRIPT, base64, createTestViaApi, expectBadRequest, expectError, json, startHarness, storeContents, type CreatedTest, type Harness } from './_harness.js';

const CART_SCRIPT = SHOP_SCRIPT.replace('/products', '/cart');
const fromBase64 = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

let h: Harness;
let test: CreatedTest;

beforeEach(async () => {
  h = await startHarness();
  test = await createTestViaApi(h);
});
afterEach(async () => {
  await h.close();
});

async function uploadCart(): Promise<Record<string, any>> {
  const response = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}/script`, payload: { scriptContent: base64(CART_SCRIPT) } });
  expect(response.statusCode, response.body).toBe(201);
  return json(response);
}

describe('GET /v1/load-tests/{id}/script', () => {
  it('gives the latest revision with the clean and the injected script, both base64', async () => {
    const second = await uploadCart();
    const response = await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script` });
    expect(response.statusCode).toBe(200);
    const body = json(response);
    expect(body).toEqual({ ...second, scriptContent: base64(CART_SCRIPT), injectedScriptContent: base64(injectPlugin(CART_SCRIPT)) });
    expect(fromBase64(body.injectedScriptContent)).toContain('import loadctl_plugin');
  });

  it('answers 404 for an unknown test and 400 for a malformed id', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt_missing/script' }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expectBadRequest(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt%2Fx/script' }), 'id');
  });
});

describe('PUT /v1/load-tests/{id}/script', () => {
  it('adds the next revision, answers its summary without scripts, and makes it the latest', async () => {
    const second = await uploadCart();
    expect(second).toEqual({ id: expect.stringMatching(/^rev_/), loadTestId: test.id, revision: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), sizeBytes: CART_SCRIPT.length, createdAt: expect.any(String) });
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}` }))).toMatchObject({ latestRevision: 2, latestRevisionId: second.id });
  });

  it.each([
    ['scriptContent', 'LOADCTL_BAD_REQUEST', {}],
    ['scriptContent', 'LOADCTL_BAD_REQUEST', { scriptContent: '' }],
    ['scriptContent', 'LOADCTL_BAD_REQUEST', { scriptContent: { text: SHOP_SCRIPT } }],
    ['scriptContent', 'LOADCTL_SCRIPT_INVALID', { scriptContent: 'from locust import *' }],
    ['scriptContent', 'LOADCTL_SCRIPT_SYNTAX', { scriptContent: base64('from locust import HttpUser\nclass U(HttpUser)\n') }],
    ['name', 'LOADCTL_BAD_REQUEST', { scriptContent: base64(CART_SCRIPT), name: 'not here' }],
  ])('refuses a bad %s with %s and adds no revision', async (field, code, payload) => {
    const before = await storeContents(h.store);
    const response = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}/script`, payload });
    expect(response.statusCode, response.body).toBe(400);
    expect(json(response).error).toMatchObject({ code, details: { field } });
    expect(await storeContents(h.store)).toEqual(before);
  });

  it('answers 404 for an unknown test and stores nothing', async () => {
    const before = await storeContents(h.store);
    expectError(await h.app.inject({ method: 'PUT', url: '/v1/load-tests/lt_missing/script', payload: { scriptContent: base64(CART_SCRIPT) } }), 404, 'LOADCTL_TEST_NOT_FOUND');
    expect(await storeContents(h.store)).toEqual(before);
  });
});

describe('GET /v1/load-tests/{id}/script/revisions', () => {
  it('lists revisions oldest first without their scripts', async () => {
    const second = await uploadCart();
    const body = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions` }));
    expect(body.total).toBe(2);
    expect(body.items.map((revision: { revision: number }) => revision.revision)).toEqual([1, 2]);
    expect(body.items[1]).toEqual(second);
    expect(body.items[0]).not.toHaveProperty('scriptContent');
  });

  it('answers 404 for an unknown test', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt_missing/script/revisions' }), 404, 'LOADCTL_TEST_NOT_FOUND');
  });
});

describe('GET /v1/load-tests/{id}/script/revisions/{revision}', () => {
  it('gives each numbered revision with its own scripts', async () => {
    const second = await uploadCart();
    const first = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/1` }));
    expect(first).toMatchObject({ id: test.latestRevisionId, loadTestId: test.id, revision: 1 });
    expect(fromBase64(first.scriptContent)).toBe(SHOP_SCRIPT);
    expect(fromBase64(first.injectedScriptContent)).toBe(injectPlugin(SHOP_SCRIPT));

    const response = await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/2` });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ ...second, scriptContent: base64(CART_SCRIPT), injectedScriptContent: base64(injectPlugin(CART_SCRIPT)) });
  });

  it('answers 404 LOADCTL_REVISION_NOT_FOUND for a number the test does not have', async () => {
    const response = await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/2` });
    expectError(response, 404, 'LOADCTL_REVISION_NOT_FOUND');
    expect(json(response).error.details).toEqual({ field: 'revision' });
    expect(json(response).error.message).toContain(`/v1/load-tests/${test.id}/script/revisions`);
  });

  it('answers 404 LOADCTL_TEST_NOT_FOUND for an unknown test', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt_missing/script/revisions/1' }), 404, 'LOADCTL_TEST_NOT_FOUND');
  });

  it.each(['0', '-1', '1.5', 'latest', '1000001', 'Infinity', '1e400'])('refuses the revision %j', async (revision) => {
    expectBadRequest(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions/${revision}` }), 'revision');
  });

  it('refuses a malformed test id', async () => {
    expectBadRequest(await h.app.inject({ method: 'GET', url: '/v1/load-tests/lt~x/script/revisions/1' }), 'id');
  });
});
