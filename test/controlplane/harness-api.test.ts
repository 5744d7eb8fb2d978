// The replaced system's request bodies (its swagger and run-vm-test-plugin.sh) are accepted
// with their meaning; fields outside its API and ours are still refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEW_TEST, createTestViaApi, json, startHarness, waitForRun, type Harness } from './_harness.js';

// run-vm-test-plugin.sh's create body, less its VM address.
const ITS_CREATE_BODY = {
  ...NEW_TEST,
  name: 'VM Products API - Plugin Test 20251224-160000',
  description: 'Clean user script with auto plugin injection',
  accountId: 'my-account',
  orgId: 'my-org',
  projectId: 'products-api',
  envId: 'vm-test',
  defaultUsers: 5,
  defaultSpawnRate: 2,
  defaultDurationSec: 30,
  createdBy: 'run-vm-test-plugin.sh',
};

// A closed port: a run sent there fails, but only after the choice of cluster is recorded.
const VM_CLUSTER = { id: 'local-mac-cluster', baseUrl: 'http://127.0.0.1:9', accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test' };

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ locustClusters: [VM_CLUSTER, { id: 'tenant-2-dev', baseUrl: 'http://127.0.0.1:9', tenantId: 'tenant-2', envId: 'dev' }] });
});
afterEach(async () => {
  // Launched runs end Failed (nothing listens there) before the store closes under them.
  for (const run of (await h.store.listRuns({ limit: 100, offset: 0 })).items) await waitForRun(h.store, run.id, (candidate) => candidate.status === 'Failed');
  await h.close();
});

describe('the replaced system’s request bodies', () => {
  it('takes its start-run body {targetUsers, spawnRate, durationSeconds, triggeredBy}: 201, triggeredBy and the test’s scope stored, its cluster chosen by scope', async () => {
    const test = await createTestViaApi(h, ITS_CREATE_BODY);
    expect(test).toMatchObject({ accountId: 'my-account', projectId: 'products-api', createdBy: 'run-vm-test-plugin.sh' });
    const response = await h.app.inject({
      method: 'POST',
      url: `/v1/load-tests/${test.id}/runs`,
      payload: { targetUsers: 5, spawnRate: 2, durationSeconds: 30, triggeredBy: 'run-vm-test-plugin.sh' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const run = json(response);
    expect(run).toMatchObject({ triggeredBy: 'run-vm-test-plugin.sh', accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test', locustClusterId: 'local-mac-cluster' });
    expect(run.statusHistory[0].reason).toContain('local-mac-cluster matches the test');
    const stored = await waitForRun(h.store, run.id, (candidate) => candidate.status === 'Failed');
    expect(stored).toMatchObject({ triggeredBy: 'run-vm-test-plugin.sh', locustClusterId: 'local-mac-cluster' });
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}` }))).toMatchObject({ triggeredBy: 'run-vm-test-plugin.sh' });
  });

  it('takes the fields its swagger marks required: createdBy, metadata and loadTestId equal to the path', async () => {
    const test = await createTestViaApi(h, { ...ITS_CREATE_BODY, locustClusterId: 'local-mac-cluster', scenarioId: 'browse', metadata: { 'team.name': 'shop' } });
    expect(test).toMatchObject({ locustClusterId: 'local-mac-cluster', scenarioId: 'browse', metadata: { 'team.name': 'shop' } });
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { loadTestId: test.id, createdBy: 'ana', metadata: { ticket: 'LT-1' } } });
    expect(response.statusCode, response.body).toBe(201);
    expect(json(response)).toMatchObject({ loadTestId: test.id, createdBy: 'ana', metadata: { ticket: 'LT-1' }, locustClusterId: 'local-mac-cluster' });
  });

  it('refuses a body loadTestId that differs from the path, storing no run', async () => {
    const test = await createTestViaApi(h, ITS_CREATE_BODY);
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { loadTestId: 'lt_other', triggeredBy: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(json(response).error).toMatchObject({ code: 'LOADCTL_BAD_REQUEST', details: { field: 'loadTestId' } });
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('still refuses a field in neither API with a clear 400', async () => {
    const test = await createTestViaApi(h, ITS_CREATE_BODY);
    const response = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { targetUsers: 5, triggeredBy: 'x', launchedBy: 'y' } });
    expect(response.statusCode).toBe(400);
    expect(json(response).error.message).toContain('unknown field "launchedBy"');
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
    const create = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...ITS_CREATE_BODY, ownerTeam: 'shop' } });
    expect(create.statusCode).toBe(400);
    expect(json(create).error.message).toContain('unknown field "ownerTeam"');
  });

  it('keeps updatedBy and a revision’s description', async () => {
    const test = await createTestViaApi(h, ITS_CREATE_BODY);
    const updated = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}`, payload: { description: 'v2', updatedBy: 'bo' } });
    expect(json(updated)).toMatchObject({ updatedBy: 'bo', createdBy: 'run-vm-test-plugin.sh' });
    const script = await h.app.inject({ method: 'PUT', url: `/v1/load-tests/${test.id}/script`, payload: { scriptContent: NEW_TEST.scriptContent, description: 'slower checkout', updatedBy: 'bo' } });
    expect(script.statusCode, script.body).toBe(201);
    expect(json(script)).toMatchObject({ revision: 2, description: 'slower checkout', createdBy: 'bo' });
    const revisions = json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}/script/revisions` })).items;
    expect(revisions).toMatchObject([{ revision: 1, createdBy: 'run-vm-test-plugin.sh' }, { revision: 2, description: 'slower checkout', createdBy: 'bo' }]);
  });

  it('lists and filters tests and runs by scope, any of several tags, and sorts', async () => {
    const products = await createTestViaApi(h, { ...ITS_CREATE_BODY, tags: ['smoke'] });
    // names are unique: the second test is its own
    const search = await createTestViaApi(h, { ...ITS_CREATE_BODY, name: 'Search API', projectId: 'search-api', tags: ['nightly'] });
    await createTestViaApi(h, { name: 'unscoped', tags: ['other'] });
    const ids = async (query: string) => json(await h.app.inject({ method: 'GET', url: `/v1/load-tests?${query}` })).items.map((test: { id: string }) => test.id);
    expect(await ids('accountId=my-account&orgId=my-org')).toEqual([search.id, products.id]);
    expect(await ids('projectId=products-api&envId=vm-test')).toEqual([products.id]);
    expect(await ids('tags=smoke&tags=nightly')).toEqual([search.id, products.id]);
    expect(await ids('tags=nightly')).toEqual([search.id]);
    expect(await ids('tags=smoke&tags=nightly&sortBy=createdAt&sortOrder=asc')).toEqual([products.id, search.id]);
    expect(await ids('accountId=nobody')).toEqual([]);

    const run = json(await h.app.inject({ method: 'POST', url: `/v1/load-tests/${search.id}/runs`, payload: { triggeredBy: 'ci' } }));
    const runIds = async (query: string) => json(await h.app.inject({ method: 'GET', url: `/v1/runs?${query}` })).items.map((item: { id: string }) => item.id);
    expect(await runIds('projectId=search-api')).toEqual([run.id]);
    expect(await runIds('projectId=products-api')).toEqual([]);
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/load-tests/${search.id}/runs?accountId=my-account&sortOrder=asc` })).total).toBe(1);
    // A sort it cannot do is refused, not ignored.
    expect((await h.app.inject({ method: 'GET', url: '/v1/runs?sortBy=name' })).statusCode).toBe(400);
  });

  it('spawns Locust for a test whose scope no cluster matches, and uses a tenant cluster by tenantId', async () => {
    const other = await createTestViaApi(h, { ...ITS_CREATE_BODY, projectId: 'elsewhere' });
    const spawned = json(await h.app.inject({ method: 'POST', url: `/v1/load-tests/${other.id}/runs`, payload: {} }));
    expect(spawned).not.toHaveProperty('locustClusterId');
    const tenant = await createTestViaApi(h, { tenantId: 'tenant-2', envId: 'dev' });
    expect(json(await h.app.inject({ method: 'POST', url: `/v1/load-tests/${tenant.id}/runs`, payload: {} }))).toMatchObject({ locustClusterId: 'tenant-2-dev', tenantId: 'tenant-2' });
  });
});
