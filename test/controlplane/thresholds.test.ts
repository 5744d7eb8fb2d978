// Thresholds on the server: checked when a run is started (nothing written when one is bad),
// judged when the run ends however it ends, and abortOnFail stopping a run mid-way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseThreshold, stoppedByThreshold, withDefaultThresholds, type Threshold } from '../../src/domain/thresholds.js';
import type { Run } from '../../src/domain/types.js';
import { atSecond, createTestViaApi, expectError, json, push, seedRun, startHarness, storeContents, waitForRun, type CreatedTest, type Harness } from './_harness.js';

let h: Harness;
let test: CreatedTest;

beforeEach(async () => {
  h = await startHarness();
  test = await createTestViaApi(h);
});
afterEach(async () => {
  await h.close();
});

const startRun = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload });

/** A Running run (as if Locust had started it at second 0) judged by these thresholds. */
async function runningRun(thresholds: Threshold[]): Promise<Run> {
  return seedRun(h, test, { status: 'Running', startedAt: atSecond(0), thresholds });
}

/** A plugin callback for the run: the push's cumulative numbers with a p95 and one endpoint. */
function callback(run: Run, kind: 'metrics' | 'test-stop', seq: number, second: number, p95: number, extra: Record<string, unknown> = {}) {
  const snapshot = push(seq, second, {
    totalRequests: 20 * seq,
    totalFailures: 0,
    p50ResponseMs: p95 / 2,
    p95ResponseMs: p95,
    p99ResponseMs: p95,
    requestStats: {
      'GET /products': { method: 'GET', name: '/products', numRequests: 20 * seq, numFailures: 0, avgResponseTime: p95 / 2, minResponseTime: 1, maxResponseTime: p95, medianResponseTime: p95 / 2, p95ResponseTime: p95, p99ResponseTime: p95, requestsPerSec: 10 },
    },
  });
  return h.app.inject({ method: 'POST', url: `/v1/internal/locust/${kind}`, payload: { ...snapshot, runId: run.id, ...extra }, headers: { authorization: `Bearer ${run.callbackToken}` } });
}

describe('starting a run with thresholds', () => {
  it('stores them parsed on the run, objects with abortOnFail included', async () => {
    const response = await startRun({ thresholds: ['p95<500ms', { threshold: 'GET /products: error_rate<1%', abortOnFail: true, graceSeconds: 5 }] });
    expect(response.statusCode, response.body).toBe(201);
    const expected = [
      parseThreshold('p95<500ms'),
      { ...parseThreshold('GET /products: error_rate<1%'), abortOnFail: true, graceSeconds: 5 },
      // the one default a run with thresholds of its own gets
      { ...parseThreshold('error_rate<100%'), isDefault: true },
    ];
    expect(json(response).thresholds).toEqual(expected);
    // This harness's Locust never starts: the run fails without metrics, so nothing is judged.
    const failed = await waitForRun(h.store, json(response).id, (run) => run.status === 'Failed');
    expect(failed.thresholds).toEqual(expected);
    expect(failed.thresholdVerdicts).toBeUndefined();
  });

  const refused: Array<[string, unknown[], RegExp]> = [
    ['an unknown metric', ['p95<500ms', 'p59<1ms'], /thresholds\[1\]: "p59<1ms": unknown metric "p59"; did you mean p50\/p95\/p99\?/],
    ['a unit that does not fit', ['rps<5ms'], /"rps<5ms"/],
    ['an endpoint the script never requests', ['GET /nope: p95<1s'], /the script never requests "GET \/nope"; the script requests: GET \/products/],
    ['abortOnFail on a metric judged only at the end', [{ threshold: 'rps>5', abortOnFail: true }], /abortOnFail needs a metric a partial run can decide/],
  ];
  for (const [what, thresholds, message] of refused) {
    it(`refuses ${what} with 400 LOADCTL_THRESHOLD_INVALID and writes nothing`, async () => {
      const before = await storeContents(h.store);
      const response = await startRun({ thresholds });
      expectError(response, 400, 'LOADCTL_THRESHOLD_INVALID');
      expect(json(response).error.message).toMatch(message);
      expect(await storeContents(h.store)).toEqual(before);
      expect(h.launches).toEqual([]);
    });
  }

  it('refuses a threshold object with an unknown key as a bad request', async () => {
    const response = await startRun({ thresholds: [{ threshold: 'p95<1s', abortOnFial: true }] });
    expectError(response, 400, 'LOADCTL_BAD_REQUEST');
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('judging a run when it ends', () => {
  it('stores a verdict per threshold with the final numbers at test-stop', async () => {
    const run = await runningRun([parseThreshold('p95<100ms'), parseThreshold('GET /products: p95<1s'), parseThreshold('rps>=50')]);
    expect((await callback(run, 'metrics', 1, 2, 40)).statusCode).toBe(200);
    const stop = await callback(run, 'test-stop', 2, 4, 250, { autoStopped: true });
    expect(stop.statusCode, stop.body).toBe(200);

    const stored = (await h.store.getRun(run.id))!;
    expect(stored).toMatchObject({ status: 'Finished', verdict: 'failed' });
    expect(stored.thresholdVerdicts).toEqual([
      { threshold: 'p95<100ms', metric: 'p95', operator: '<', limit: 100, observed: 250, passed: false },
      { threshold: 'GET /products: p95<1s', metric: 'p95', endpoint: 'GET /products', operator: '<', limit: 1000, observed: 250, passed: true },
      // rps over the load: 40 requests from the start (0 s) to the stop (4 s).
      { threshold: 'rps>=50', metric: 'rps', operator: '>=', limit: 50, observed: 10, passed: false },
    ]);
    // The API gives them back (a response schema that forgot them would drop them silently).
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}` }))).toMatchObject({ verdict: 'failed', thresholdVerdicts: stored.thresholdVerdicts });
  });

  it('judges a run that fails after metrics came in, and not one that never got any', async () => {
    const measured = await runningRun([parseThreshold('p95<100ms')]);
    await callback(measured, 'metrics', 1, 2, 40);
    await h.orchestrator.failRun(measured.id, 'Locust died');
    expect(await h.store.getRun(measured.id)).toMatchObject({ status: 'Failed', verdict: 'passed', thresholdVerdicts: [{ threshold: 'p95<100ms', observed: 40, passed: true }] });

    const empty = await runningRun([parseThreshold('p95<100ms')]);
    await h.orchestrator.failRun(empty.id, 'Locust died');
    const failed = (await h.store.getRun(empty.id))!;
    expect(failed.status).toBe('Failed');
    expect(failed.thresholdVerdicts).toBeUndefined();
    expect(failed.verdict).toBeUndefined();
  });

  it('leaves runs without thresholds without a verdict', async () => {
    const run = await seedRun(h, test, { status: 'Running', startedAt: atSecond(0) });
    await callback(run, 'test-stop', 1, 4, 250, { autoStopped: true });
    const stored = (await h.store.getRun(run.id))!;
    expect(stored.status).toBe('Finished');
    expect(stored).not.toHaveProperty('thresholdVerdicts');
    expect(stored).not.toHaveProperty('verdict');
  });
});

describe('default thresholds', () => {
  const textsOf = (thresholds: Threshold[] | undefined) => (thresholds ?? []).map((t) => `${t.text}${t.isDefault ? ' (default)' : ''}`);

  it('judge a run started without thresholds, fixed when it is created', async () => {
    const response = await startRun({});
    expect(response.statusCode, response.body).toBe(201);
    expect(textsOf(json(response).thresholds)).toEqual(['requests>=1 (default)', 'error_rate<1% (default)', 'exceptions==0 (default)']);
    // This harness's Locust never starts: let the launch settle before the store closes.
    const failed = await waitForRun(h.store, json(response).id, (run) => run.status === 'Failed');
    expect(textsOf(failed.thresholds)).toEqual(textsOf(json(response).thresholds));
  });

  it('are left out when the body says defaultThresholds: false, or the server is configured so', async () => {
    const response = await startRun({ defaultThresholds: false });
    expect(response.statusCode, response.body).toBe(201);
    expect(json(response).thresholds).toBeUndefined();
    expect((await startRun({ defaultThresholds: 'no' })).statusCode).toBe(400);
    await waitForRun(h.store, json(response).id, (run) => run.status === 'Failed');

    const off = await startHarness({ defaultThresholds: false });
    try {
      const offTest = await createTestViaApi(off);
      const start = (payload: Record<string, unknown>) => off.app.inject({ method: 'POST', url: `/v1/load-tests/${offTest.id}/runs`, payload });
      const without = json(await start({}));
      expect(without.thresholds).toBeUndefined();
      // the caller's word beats the server's setting (loadctl run sends its own config's)
      const withDefaults = json(await start({ defaultThresholds: true }));
      expect(textsOf(withDefaults.thresholds)).toHaveLength(3);
      for (const run of [without, withDefaults]) await waitForRun(off.store, run.id, (stored) => stored.status === 'Failed');
    } finally {
      await off.close();
    }
  });

  it('fail a run whose every request failed or whose tasks raised, and say they are defaults', async () => {
    const run = await runningRun([...withDefaultThresholds([], true)]);
    const stop = await h.app.inject({
      method: 'POST',
      url: '/v1/internal/locust/test-stop',
      headers: { authorization: `Bearer ${run.callbackToken}` },
      payload: { ...push(1, 4, { totalRequests: 40, totalFailures: 40, totalExceptions: 2, exceptions: [{ message: "ValueError('x')", traceback: 'Traceback…', count: 2, where: 's.py:3 in t' }] }), runId: run.id, autoStopped: true },
    });
    expect(stop.statusCode, stop.body).toBe(200);
    const stored = (await h.store.getRun(run.id))!;
    expect(stored).toMatchObject({ status: 'Finished', verdict: 'failed' });
    expect(stored.thresholdVerdicts!.map((v) => [v.threshold, v.passed, v.isDefault])).toEqual([
      ['requests>=1', true, true],
      ['error_rate<1%', false, true],
      ['exceptions==0', false, true],
    ]);
    const summary = json(await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/summary` }));
    expect(summary.totals.exceptions).toBe(2);
    expect(summary.exceptions).toEqual([{ message: "ValueError('x')", traceback: 'Traceback…', count: 2, where: 's.py:3 in t' }]);
  });
});

describe('abortOnFail', () => {
  const aborting = { ...parseThreshold('p95<100ms'), abortOnFail: true, graceSeconds: 3 };

  it('keeps running while the threshold holds or within the grace period', async () => {
    const run = await runningRun([aborting]);
    await callback(run, 'metrics', 1, 1, 500); // failing, but 1 s < 3 s of grace
    await callback(run, 'metrics', 2, 4, 50); // past the grace period, holding
    expect((await h.store.getRun(run.id))?.status).toBe('Running');
  });

  it('stops the run once the threshold fails past its grace period; the run ends Stopped and failed', async () => {
    const run = await runningRun([aborting, parseThreshold('p99<10s')]);
    await callback(run, 'metrics', 1, 4, 500);
    // This harness's Locust never answers /stop, so the stop completes without a final report.
    const stopped = await waitForRun(h.store, run.id, (current) => current.status === 'Stopped');
    const reasons = stopped.statusHistory.map((change) => `${change.to}: ${change.reason ?? ''}`);
    expect(reasons.slice(-2)).toEqual([
      'Stopping: threshold failed: p95 was 500 ms, limit < 100 ms',
      expect.stringMatching(/^Stopped: threshold failed: p95 was 500 ms, limit < 100 ms; Locust did not answer \/stop/),
    ]);
    expect(stoppedByThreshold(stopped)).toBe(true);
    expect(stopped.verdict).toBe('failed');
    expect(stopped.thresholdVerdicts?.map((verdict) => [verdict.threshold, verdict.observed, verdict.passed])).toEqual([
      ['p95<100ms', 500, false],
      ['p99<10s', 500, true],
    ]);
  });

  it('records the threshold as the reason when the plugin’s test-stop follows the stop', async () => {
    const run = await runningRun([aborting]);
    await h.store.transitionRun(run.id, { from: ['Running'], to: 'Stopping', at: atSecond(5), reason: 'threshold failed: p95 was 500 ms, limit < 100 ms' });
    await callback({ ...run, status: 'Stopping' }, 'test-stop', 3, 5, 500, { autoStopped: false });
    const stopped = (await h.store.getRun(run.id))!;
    expect(stopped.status).toBe('Stopped');
    expect(stopped.statusHistory.at(-1)?.reason).toBe('threshold failed: p95 was 500 ms, limit < 100 ms');
    expect(stoppedByThreshold(stopped)).toBe(true);
  });
});
