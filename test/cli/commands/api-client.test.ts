import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../src/controlplane/client.js';
import { SHOP_SCRIPT, base64, startHarness, type Harness } from '../../controlplane/_harness.js';
import { makeMetricsSnapshot, makeRun } from '../render/_fixtures.js';

// The client methods the new commands (and scripts) use, against the real routes over HTTP.
describe('ApiClient', () => {
  let harness: Harness;
  let client: ApiClient;

  beforeAll(async () => {
    harness = await startHarness();
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const address = harness.app.server.address();
    client = new ApiClient({ baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  });

  afterAll(async () => harness?.close());

  it('updates a test, reads a revision by number, and deletes (204: no body)', async () => {
    const test = await client.createLoadTest({ name: 'client-shop', targetUrl: 'http://127.0.0.1:8000', scriptContent: base64(SHOP_SCRIPT) });
    expect((await client.updateLoadTest(test.id, { description: 'changed', tags: ['t'] })).description).toBe('changed');
    await client.updateScript(test.id, base64(`${SHOP_SCRIPT}# 2\n`));
    const first = await client.getRevision(test.id, 1);
    expect(first.revision).toBe(1);
    expect(Buffer.from(first.scriptContent, 'base64').toString('utf8')).toBe(SHOP_SCRIPT);
    await expect(client.getRevision(test.id, 3)).rejects.toMatchObject({ code: 'LOADCTL_REVISION_NOT_FOUND' });
    await expect(client.deleteLoadTest(test.id)).resolves.toBeUndefined();
    await expect(client.getLoadTest(test.id)).rejects.toMatchObject({ code: 'LOADCTL_TEST_NOT_FOUND' });
  });

  it('reads a run’s summary, time series and aggregate', async () => {
    const test = await client.createLoadTest({ name: 'client-run', targetUrl: 'http://127.0.0.1:8000', scriptContent: base64(SHOP_SCRIPT) });
    const run = makeRun({ id: 'run_client', loadTestId: test.id, scriptRevisionId: test.latestRevisionId, finalMetrics: makeMetricsSnapshot() });
    await harness.store.createRun(run);
    const summary = await client.getRunSummary(run.id);
    expect(summary).toMatchObject({ runId: run.id, source: 'final', totals: { requests: run.finalMetrics!.totalRequests } });
    const timeseries = await client.getMetricsTimeseries(run.id, { step: 5 });
    expect(timeseries).toMatchObject({ runId: run.id, stepSeconds: 5, points: [] });
    const aggregate = await client.getMetricsAggregate(run.id, { from: '2026-11-28T10:01:00.000Z' });
    expect(aggregate).toMatchObject({ runId: run.id, from: '2026-11-28T10:01:00.000Z', to: null, pushes: 0 });
  });
});
