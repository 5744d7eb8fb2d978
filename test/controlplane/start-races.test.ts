// Two clients doing the same thing at the same moment (issue 10, scenario 8): the store
// decides, so one wins and the other gets a 409 that says who did.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocustClient } from '../../src/locust/locust-client.js';
import { createTestViaApi, json, NEW_TEST, startHarness, type Harness } from './_harness.js';

let h: Harness;
let answerLocust: () => void;
beforeEach(async () => {
  // The cluster's Locust answers its readiness check only when the test ends: until then the
  // winning run stays in progress (Starting), as on a real cluster that is slow to answer.
  const answered = new Promise<void>((resolve) => (answerLocust = resolve));
  const slowLocust: LocustClient = {
    isReady: () => answered.then(() => false),
    setContext: () => Promise.reject(new Error('not reached')),
    swarm: () => Promise.reject(new Error('not reached')),
    stop: () => Promise.reject(new Error('not reached')),
    currentRun: async () => null,
    workers: async () => [],
    finalReport: () => Promise.reject(new Error('not reached')),
  };
  h = await startHarness({ locustClusters: [{ id: 'shared', baseUrl: 'http://127.0.0.1:1' }], locustClient: slowLocust });
});
afterEach(async () => {
  answerLocust();
  await h.close();
});

describe('two creates of one new name at once', () => {
  it('make one test; the other answers 409 LOADCTL_TEST_NAME_TAKEN with its id', async () => {
    const create = () => h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, name: 'nightly' } });
    const responses = await Promise.all([create(), create()]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409]);
    const created = json(responses.find((response) => response.statusCode === 201)!);
    const refused = json(responses.find((response) => response.statusCode === 409)!);
    expect(refused.error).toMatchObject({ code: 'LOADCTL_TEST_NAME_TAKEN', details: { loadTestId: created.id } });
    expect((await h.store.listLoadTests({ name: 'nightly', limit: 10, offset: 0 })).items.map((test) => test.id)).toEqual([created.id]);
  });
});

describe('two starts on one Locust cluster at once', () => {
  it('start one run; the other answers 409 LOADCTL_RUN_CONFLICT and leaves no run', async () => {
    const test = await createTestViaApi(h);
    const start = () => h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { locustClusterId: 'shared' } });
    const responses = await Promise.all([start(), start()]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409]);
    const started = json(responses.find((response) => response.statusCode === 201)!);
    expect(json(responses.find((response) => response.statusCode === 409)!).error).toMatchObject({
      code: 'LOADCTL_RUN_CONFLICT',
      details: { runId: started.id },
    });
    expect((await h.store.listRuns({ loadTestId: test.id, limit: 10, offset: 0 })).items.map((run) => run.id)).toEqual([started.id]);
  });
});
