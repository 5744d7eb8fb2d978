// Issue 12: runs driven by a load shape. Stages given when a run starts are recorded as its shape
// (and refused beside a script's own shape); a script's shape is recorded from the plugin's
// pushes; a shape that ends the test makes the run Finished, not Stopped; planned users per push
// come back in the timeseries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import { atSecond, base64, createTestViaApi, expectBadRequest, json, push, seedRun, startHarness, waitForRun, type Harness } from './_harness.js';

const SHAPE_SCRIPT = [
  'from locust import HttpUser, LoadTestShape, task',
  '',
  'class Shopper(HttpUser):',
  '    @task',
  '    def browse(self):',
  '        self.client.get("/api/products")',
  '',
  'class Steps(LoadTestShape):',
  '    def tick(self):',
  '        return None',
  '',
].join('\n');

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const callback = (kind: string, run: Run & { callbackToken: string }, body: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url: `/v1/internal/locust/${kind}`, payload: { runId: run.id, ...body }, headers: { authorization: `Bearer ${run.callbackToken}` } });

describe('stages at run start', () => {
  it('records them as the run’s shape, bounded a little past their sum, with their peak as targetUsers', async () => {
    const test = await createTestViaApi(h);
    const answer = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { stages: [{ durationSeconds: 30, users: 10 }, { durationSeconds: 60, users: 10 }, { durationSeconds: 20, users: 0 }] } });
    expect(answer.statusCode, answer.body).toBe(201);
    const run = json<Run>(answer);
    expect(run.shape).toEqual({ kind: 'stages', name: 'stages', stages: [{ durationSeconds: 30, users: 10 }, { durationSeconds: 60, users: 10 }, { durationSeconds: 20, users: 0 }], plannedSeconds: 110 });
    expect(run.targetUsers).toBe(10);
    expect(run.durationSeconds).toBeGreaterThan(110);
    expect((await h.store.getRun(run.id))?.shape?.plannedSeconds).toBe(110);
  });

  it('refuses stages beside a script’s own LoadTestShape, and stages without a user, writing no run', async () => {
    const test = await createTestViaApi(h, { scriptContent: base64(SHAPE_SCRIPT) });
    const both = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${test.id}/runs`, payload: { stages: [{ durationSeconds: 10, users: 2 }] } });
    expectBadRequest(both, 'stages');
    expect(json(both).error.message).toContain('class Steps');
    const plain = await createTestViaApi(h, { name: 'plain' });
    const idle = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${plain.id}/runs`, payload: { stages: [{ durationSeconds: 10, users: 0 }] } });
    expectBadRequest(idle, 'stages');
    const bad = await h.app.inject({ method: 'POST', url: `/v1/load-tests/${plain.id}/runs`, payload: { stages: [{ durationSeconds: 0, users: 2 }] } });
    expect(bad.statusCode).toBe(400);
    expect((await h.store.listRuns({ limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('a script’s shape, reported by the plugin', () => {
  it('is recorded from the first push; the shape ending the test is Finished with its reason', async () => {
    const test = await createTestViaApi(h, { scriptContent: base64(SHAPE_SCRIPT) });
    const run = await seedRun(h, test, { status: 'Starting', createdAt: atSecond(-1) });
    const shape = { kind: 'script', name: 'Steps' };
    expect((await callback('test-start', run, { ...push(0, 0), targetUsers: 2, shape })).statusCode).toBe(200);
    expect((await callback('metrics', run, { ...push(1, 2, { currentUsers: 2 }), targetUsers: 6, shape, shapeStage: { index: 2, count: 3 } })).statusCode).toBe(200);
    const running = await h.store.getRun(run.id);
    expect(running?.shape).toEqual({ kind: 'script', name: 'Steps' });
    expect(running?.lastMetrics?.targetUsers).toBe(6);
    expect(running?.lastMetrics?.shapeStage).toEqual({ index: 2, count: 3 });
    expect((await callback('test-stop', run, { ...push(2, 3, { currentUsers: 0 }), autoStopped: true, stopReason: 'shape', shape })).statusCode).toBe(200);
    const ended = await waitForRun(h.store, run.id, (r) => r.status === 'Finished' || r.status === 'Stopped');
    expect(ended.status).toBe('Finished');
    expect(ended.statusHistory.at(-1)?.reason).toBe('the load shape ended (Steps)');
    const series = json<{ points: Array<{ users: number; plannedUsers?: number }> }>(await h.app.inject({ url: `/v1/runs/${run.id}/metrics/timeseries` }));
    expect(series.points.map((point) => point.plannedUsers)).toContain(6);
  });

  it('ended by its duration bound says so, and a run without a shape keeps the old reason', async () => {
    const test = await createTestViaApi(h);
    const run = await seedRun(h, test, { status: 'Running', startedAt: atSecond(0), shape: { kind: 'script', name: 'Steps' } });
    await callback('test-stop', run, { ...push(1, 3), autoStopped: true, stopReason: 'duration' });
    expect((await h.store.getRun(run.id))?.statusHistory.at(-1)?.reason).toBe('duration of 30s elapsed (the upper bound of the load shape)');
    const plain = await seedRun(h, test, { status: 'Running', startedAt: atSecond(0) });
    await callback('test-stop', plain, { ...push(1, 3), autoStopped: true });
    expect((await h.store.getRun(plain.id))?.statusHistory.at(-1)?.reason).toBe('duration of 30s elapsed');
  });
});
