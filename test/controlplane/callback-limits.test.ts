// Issue 10, scenario 1: the control plane accepts every well-formed report it can store. A
// refused test-stop left a run Running forever; now long texts are cut on arrival (and say so),
// custom method names fit, and a push of 500 long error rows fits the callbacks' body limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ERROR_TEXT } from '../../src/domain/callback-texts.js';
import type { Run } from '../../src/domain/types.js';
import { createTestViaApi, json, push, seedRun, startHarness, type Harness } from './_harness.js';

let h: Harness;
let run: Run;

beforeEach(async () => {
  h = await startHarness();
  const test = await createTestViaApi(h);
  run = await seedRun(h, test, { status: 'Running', startedAt: '2025-01-01T00:00:00.000Z' });
});
afterEach(async () => {
  await h.close();
});

const post = (kind: string, body: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url: `/v1/internal/locust/${kind}`, payload: { runId: run.id, ...body }, headers: { authorization: `Bearer ${run.callbackToken}` } });

describe('callbacks the control plane used to refuse', () => {
  it('a test-stop with a 50,000-character error text is stored, its text cut from the start and marked', async () => {
    const page = `<html>${'x'.repeat(50_000)}</html> HTTPError 503`;
    const response = await post('test-stop', { ...push(3, 30, { totalRequests: 10, totalFailures: 10 }), autoStopped: true, errors: [{ method: 'GET', name: '/', error: page, occurrences: 10 }] });
    expect(response.statusCode, response.body).toBe(200);
    const stored = (await h.store.getRun(run.id))!;
    expect(stored.status).toBe('Finished');
    const error = stored.finalMetrics!.errors[0]!.error;
    expect(error.length).toBe(MAX_ERROR_TEXT);
    // the end of the text, where the cause is, is kept
    expect(error.endsWith('</html> HTTPError 503')).toBe(true);
    expect(stored.finalMetrics!.truncated).toEqual([`errors: 1 texts cut to ${MAX_ERROR_TEXT} characters by the control plane`]);
  });

  it('a method name of 150 characters (a custom client) is stored', async () => {
    const method = `SUBSCRIBE_${'T'.repeat(140)}`;
    const stats = { method, name: '/topic', numRequests: 4, numFailures: 0 };
    const response = await post('metrics', { ...push(1, 2, { totalRequests: 4 }), requestStats: { [`${method} /topic`]: stats } });
    expect(response.statusCode, response.body).toBe(200);
    expect((await h.store.listMetrics(run.id))[0]!.requestStats[`${method} /topic`]!.method).toBe(method);
  });

  it('500 error rows of 10,000 characters (5 MB, over the API’s 2 MiB) are stored whole', async () => {
    const errors = Array.from({ length: 500 }, (_, n) => ({ method: 'GET', name: `/bad/${n}`, error: `${n} ${'e'.repeat(MAX_ERROR_TEXT - 10)}`, occurrences: 1 }));
    const response = await post('test-stop', { ...push(2, 20, { totalRequests: 500, totalFailures: 500 }), autoStopped: true, errors });
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response).status).toBe('Finished');
    const stored = (await h.store.getRun(run.id))!;
    expect(stored.finalMetrics!.errors).toHaveLength(500);
    expect(stored.finalMetrics!.truncated).toBeUndefined();
  });

  it('the plugin’s own list of what it cut is kept with the push', async () => {
    const truncated = ['requestStats: 1 method or name texts cut to 200 / 2000 characters'];
    expect((await post('metrics', { ...push(1, 2), truncated })).statusCode).toBe(200);
    expect((await h.store.listMetrics(run.id))[0]!.truncated).toEqual(truncated);
  });
});
