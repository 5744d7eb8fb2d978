// Starting a distributed run through the API: what it asks is stored with the run, and a bad
// masterBind (or one without workers) is a 400 before anything is written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestViaApi, expectError, json, startHarness, type CreatedTest, type Harness } from './_harness.js';

let h: Harness;
let test: CreatedTest;

beforeEach(async () => {
  h = await startHarness();
  test = await createTestViaApi(h);
});
afterEach(async () => {
  await h.close();
});

const start = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload });

describe('POST /v1/load-tests/{id}/runs with workers', () => {
  it('stores the workers asked for with the run', async () => {
    const response = await start({ workers: 2, expectRemoteWorkers: 1, masterBind: '10.0.0.5:5557' });
    expect(response.statusCode, response.body).toBe(201);
    expect(json(response)).toMatchObject({ workers: 2, expectRemoteWorkers: 1, masterBind: '10.0.0.5:5557' });
    const plain = json(await start({ workers: 0 }));
    expect(plain).not.toHaveProperty('workers');
  });

  it('refuses a bad masterBind, or one without workers, and stores no run', async () => {
    expectError(await start({ workers: 1, masterBind: 'host:99999' }), 400, 'LOADCTL_BAD_REQUEST');
    expectError(await start({ masterBind: '0.0.0.0:5557' }), 400, 'LOADCTL_BAD_REQUEST');
    expectError(await start({ workers: -1 }), 400, 'LOADCTL_BAD_REQUEST');
    expect(json(await h.app.inject({ method: 'GET', url: '/v1/runs' })).items).toEqual([]);
  });
});
