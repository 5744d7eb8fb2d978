// A web page must not drive a local control plane (issue 10, scenario 12). Without an API token
// only loopback names (and server.allowedHosts) are accepted in Host, which stops DNS rebinding;
// on every server a state-changing request from another origin is refused.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_TEST, expectError, json, startHarness, storeContents, type Harness } from './_harness.js';

const API_TOKEN = 'origin-test-api-token';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// Test names are unique: each accepted create gets a name of its own.
let created = 0;
const createTest = (harness: Harness, headers: Record<string, string>) =>
  harness.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, name: `${NEW_TEST.name}-${(created += 1)}` }, headers });

describe('Host names on a control plane without an API token', { timeout: 60_000 }, () => {
  it('refuses a rebound name (Host and Origin evil.example.com) with 421 LOADCTL_HOST_NOT_ALLOWED, for writes and reads, storing nothing', async () => {
    h = await startHarness();
    const before = await storeContents(h.store);
    const rebound = { host: 'evil.example.com:8080', origin: 'http://evil.example.com:8080' };
    expectError(await createTest(h, rebound), 421, 'LOADCTL_HOST_NOT_ALLOWED');
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests', headers: rebound }), 421, 'LOADCTL_HOST_NOT_ALLOWED');
    expectError(await h.app.inject({ method: 'GET', url: '/v1/runs', headers: { host: 'evil.example.com' } }), 421, 'LOADCTL_HOST_NOT_ALLOWED');
    // names that merely start like a loopback one
    for (const host of ['localhost.evil.example.com:8080', '127.0.0.1.evil.example.com', '0.0.0.0:8080', '[::2]:8080']) {
      expectError(await h.app.inject({ method: 'GET', url: '/v1/runs', headers: { host } }), 421, 'LOADCTL_HOST_NOT_ALLOWED');
    }
    expect(json(await createTest(h, rebound)).error.message).toMatch(/server\.allowedHosts/);
    expect(await storeContents(h.store)).toEqual(before);
    expect(h.launches).toEqual([]);
  });

  it('answers every loopback name, with or without a port', async () => {
    h = await startHarness();
    for (const host of ['localhost:8080', 'LocalHost', '127.0.0.1:8080', '127.1.2.3', '[::1]:8080', '[::1]']) {
      const response = await h.app.inject({ method: 'GET', url: '/v1/load-tests', headers: { host } });
      expect(response.statusCode, `${host}: ${response.body}`).toBe(200);
    }
    const created = await createTest(h, { host: '127.0.0.1:8080' });
    expect(created.statusCode, created.body).toBe(201);
  });

  it('answers a name from server.allowedHosts, same-origin, and still refuses others', async () => {
    h = await startHarness({ allowedHosts: ['loadctl.internal'] });
    const created = await createTest(h, { host: 'loadctl.internal:8080', origin: 'http://loadctl.internal:8080' });
    expect(created.statusCode, created.body).toBe(201);
    expectError(await createTest(h, { host: 'evil.example.com:8080', origin: 'http://evil.example.com:8080' }), 421, 'LOADCTL_HOST_NOT_ALLOWED');
  });

  it('does not check Host when an API token is required (the token is what a rebound page lacks)', async () => {
    h = await startHarness({ apiToken: API_TOKEN });
    const response = await h.app.inject({ method: 'GET', url: '/v1/load-tests', headers: { host: 'loadctl.example.org', authorization: `Bearer ${API_TOKEN}` } });
    expect(response.statusCode, response.body).toBe(200);
    expectError(await h.app.inject({ method: 'GET', url: '/v1/load-tests', headers: { host: 'evil.example.com' } }), 401, 'LOADCTL_UNAUTHORIZED');
  });
});

describe('Origin of state-changing requests', { timeout: 60_000 }, () => {
  it('refuses a cross-origin POST with 403 LOADCTL_ORIGIN_NOT_ALLOWED on a server without a token, storing nothing', async () => {
    h = await startHarness();
    const before = await storeContents(h.store);
    for (const origin of ['http://evil.example.com', 'http://127.0.0.1:9999', 'https://localhost:8081', 'null', 'file://']) {
      const response = await createTest(h, { host: '127.0.0.1:8080', origin });
      expectError(response, 403, 'LOADCTL_ORIGIN_NOT_ALLOWED');
    }
    expectError(await h.app.inject({ method: 'DELETE', url: '/v1/load-tests/lt_x', headers: { host: 'localhost:8080', origin: 'http://evil.example.com' } }), 403, 'LOADCTL_ORIGIN_NOT_ALLOWED');
    expectError(await h.app.inject({ method: 'PUT', url: '/v1/load-tests/lt_x', payload: { name: 'x' }, headers: { host: 'localhost:8080', origin: 'http://evil.example.com' } }), 403, 'LOADCTL_ORIGIN_NOT_ALLOWED');
    expect(await storeContents(h.store)).toEqual(before);
  });

  it('refuses a cross-origin POST on a server with a token, even one carrying the right token', async () => {
    h = await startHarness({ apiToken: API_TOKEN });
    const before = await storeContents(h.store);
    const response = await createTest(h, { host: '127.0.0.1:8080', origin: 'http://evil.example.com', authorization: `Bearer ${API_TOKEN}` });
    expectError(response, 403, 'LOADCTL_ORIGIN_NOT_ALLOWED');
    expect(await storeContents(h.store)).toEqual(before);
    const own = await createTest(h, { host: 'loadctl.example.org:8443', origin: 'https://loadctl.example.org:8443', authorization: `Bearer ${API_TOKEN}` });
    expect(own.statusCode, own.body).toBe(201);
  });

  it('accepts a same-origin POST and a POST without Origin (CLI, curl, the plugin)', async () => {
    h = await startHarness();
    const sameOrigin = await createTest(h, { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' });
    expect(sameOrigin.statusCode, sameOrigin.body).toBe(201);
    const defaultPort = await createTest(h, { host: 'localhost:80', origin: 'http://localhost' });
    expect(defaultPort.statusCode, defaultPort.body).toBe(201);
    const noOrigin = await createTest(h, { host: '127.0.0.1:8080' });
    expect(noOrigin.statusCode, noOrigin.body).toBe(201);
  });

  it('does not refuse a GET with a foreign Origin', async () => {
    h = await startHarness();
    const response = await h.app.inject({ method: 'GET', url: '/v1/load-tests', headers: { host: '127.0.0.1:8080', origin: 'http://evil.example.com' } });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('does the same over a real socket', async () => {
    h = await startHarness();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (h.app.server.address() as { port: number }).port;
    const post = async (headers: Record<string, string>) => {
      const response = await request(`http://127.0.0.1:${port}/v1/load-tests`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ ...NEW_TEST, name: `${NEW_TEST.name}-${(created += 1)}` }) });
      return { status: response.statusCode, body: (await response.body.json()) as { error?: { code: string } } };
    };
    const rebound = await post({ host: `evil.example.com:${port}`, origin: `http://evil.example.com:${port}` });
    expect([rebound.status, rebound.body.error?.code]).toEqual([421, 'LOADCTL_HOST_NOT_ALLOWED']);
    const crossOrigin = await post({ origin: 'http://evil.example.com' });
    expect([crossOrigin.status, crossOrigin.body.error?.code]).toEqual([403, 'LOADCTL_ORIGIN_NOT_ALLOWED']);
    const sameOrigin = await post({ origin: `http://127.0.0.1:${port}` });
    expect(sameOrigin.status).toBe(201);
  });
});
