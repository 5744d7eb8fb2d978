// Fastify's serializer drops every property a response schema does not name. These tests
// store entities with every field set (typed Required<…>, so a field added to a type
// fails to compile here until it is added) and check the API gives each back whole.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadTest, MetricsSnapshot, Run, StatusChange } from '../../src/domain/types.js';
import { toLoadTestView, toRunView } from '../../src/controlplane/views.js';
import { atSecond, createTestViaApi, json, push, seedRun, startHarness, type CreatedTest, type Harness } from './_harness.js';

const SNAPSHOT: Required<MetricsSnapshot> = {
  ...push(7, 30),
  totalRps: 12.75,
  totalRequests: 380,
  totalFailures: 3,
  currentUsers: 4,
  errorRate: 3 / 380,
  avgResponseMs: 21.5,
  p50ResponseMs: 18,
  p95ResponseMs: 64,
  p99ResponseMs: 130,
  requestStats: {
    'GET /x.y/[id]?q=1 2': { method: 'GET', name: '/x.y/[id]?q=1 2', numRequests: 380, numFailures: 3, avgResponseTime: 21.5, minResponseTime: 0.5, maxResponseTime: 140, medianResponseTime: 18, p50ResponseTime: 18, p95ResponseTime: 64, p99ResponseTime: 130, requestsPerSec: 12.75 },
  },
  errors: [{ method: 'GET', name: '/x.y/[id]?q=1 2', error: 'HTTPError(503)', occurrences: 3 }],
  histogram: { '0': 2, '18': 300, '64': 70, '130': 8 },
  minResponseMs: 0.5,
  maxResponseMs: 140,
  totalExceptions: 2,
  exceptions: [{ message: "ValueError('bad id')", traceback: 'Traceback (most recent call last):\n  File "locustfile.py", line 9, in buy\nValueError: bad id\n', count: 2, where: 'locustfile.py:9 in buy' }],
  intervalStart: atSecond(28),
  intervalEnd: atSecond(30),
  peakUsers: 5,
  truncated: ['errors: 1 rows with texts over the limits (10000 characters per error)'],
  targetUsers: 6,
  shapeStage: { index: 2, count: 3 },
};

let h: Harness;
let test: CreatedTest;

beforeEach(async () => {
  h = await startHarness();
  test = await createTestViaApi(h);
});
afterEach(async () => {
  await h.close();
});

describe('responses keep every field', () => {
  it('of a run, secrets excepted', async () => {
    const change: Required<StatusChange> = { from: 'Running', to: 'Failed', at: atSecond(31), reason: 'Locust died' };
    const run: Required<Run> = {
      id: 'run_everything',
      loadTestId: test.id,
      scriptRevisionId: test.latestRevisionId,
      name: 'all fields',
      status: 'Failed',
      statusHistory: [{ from: null, to: 'Pending', at: atSecond(-1) }, change],
      targetUsers: 4,
      spawnRate: 0.5,
      durationSeconds: 60,
      targetUrl: 'http://127.0.0.1:8000',
      locustEndpoint: 'http://127.0.0.1:8089',
      locustClusterId: 'rack-1',
      callbackTokenHash: 'sha256:secret-hash',
      plugin: 'harness',
      callbackToken: 'callback-secret',
      launchToken: 'launch-secret',
      controlPlaneUrl: 'http://127.0.0.1:8080',
      owner: { host: 'ci-1', pid: 4242, startedAt: atSecond(-60), heartbeatAt: atSecond(30) },
      createdAt: atSecond(-1),
      startedAt: atSecond(0),
      finishedAt: atSecond(31),
      autoStopped: false,
      shape: { kind: 'stages', name: 'stages', stages: [{ durationSeconds: 30, users: 10 }, { durationSeconds: 20, users: 0 }], plannedSeconds: 50 },
      lastMetrics: SNAPSHOT,
      finalMetrics: { ...SNAPSHOT, seq: 8 },
      error: 'Locust exited with code 1',
      thresholds: [
        { text: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, abortOnFail: false },
        { text: 'GET /x.y/[id]?q=1 2: error_rate<1%', metric: 'error_rate', endpoint: 'GET /x.y/[id]?q=1 2', operator: '<', limit: 0.01, abortOnFail: true, graceSeconds: 5 },
      ],
      thresholdVerdicts: [
        { threshold: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, observed: 64, passed: true },
        { threshold: 'GET /x.y/[id]?q=1 2: error_rate<1%', metric: 'error_rate', endpoint: 'GET /x.y/[id]?q=1 2', operator: '<', limit: 0.01, observed: null, passed: false, reason: 'no data' },
      ],
      verdict: 'failed',
      accountId: 'acc',
      orgId: 'org',
      projectId: 'prj',
      envId: 'env',
      tenantId: 'ten',
      createdBy: 'ana',
      triggeredBy: 'run-vm-test-plugin.sh',
      metadata: { 'a.b': { $c: [1] } },
      requirements: { text: 'inflection==0.5.1\n', sha256: 'sha256-of-requirements' },
      locustArgs: ['--tags', 'read', 'ReaderUser'],
      workers: 2,
      expectRemoteWorkers: 1,
      masterBind: '0.0.0.0:5557',
      workerNodes: [
        { id: 'ci-1_0123456789abcdef0123456789abcdef', host: 'ci-1', users: 2, state: 'running', joinedAt: atSecond(0) },
        { id: 'ci.2_fedcba9876543210fedcba9876543210', host: 'ci.2', users: 2, state: 'lost', joinedAt: atSecond(0), lostAt: atSecond(20) },
      ],
      events: [{ at: atSecond(20), type: 'worker-lost', workerId: 'ci.2_fedcba9876543210fedcba9876543210', message: 'worker lost' }],
    };
    await h.store.createRun(run);
    const { callbackToken: _callback, callbackTokenHash: _hash, launchToken: _launch, ...shown } = run;
    expect(toRunView(run)).toEqual(shown);

    const response = await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}` });
    expect(json(response)).toEqual(shown);
    expect(response.body).not.toContain('secret');
    expect(json(await h.app.inject({ method: 'GET', url: '/v1/runs' })).items).toEqual([shown]);
  });

  it('of a load test, extra fields and recent runs included', async () => {
    const metadata = { 'a.b': { $c: [1, { d: null }] }, e: true };
    const stored: Required<LoadTest> = {
      ...(await h.store.getLoadTest(test.id))!,
      maxDurationSec: 600,
      accountId: 'acc',
      orgId: 'org',
      projectId: 'prj',
      envId: 'env',
      tenantId: 'ten',
      extra: { createdBy: 'ana', updatedBy: 'bo', scenarioId: 'checkout', locustClusterId: 'rack-1', metadata },
      recentRuns: [{ runId: 'run_1', status: 'Finished', createdAt: atSecond(0), finishedAt: atSecond(30), targetUsers: 4, durationSeconds: 30, totalRequests: 380, totalFailures: 3, errorRate: 3 / 380, p95ResponseMs: 64 }],
    };
    await h.store.updateLoadTest(test.id, { maxDurationSec: 600, extra: stored.extra, scope: { accountId: 'acc', orgId: 'org', projectId: 'prj', envId: 'env', tenantId: 'ten' }, updatedAt: stored.updatedAt });
    // The recent run is read from the run itself, once it has ended.
    await seedRun(h, test, { id: 'run_1', status: 'Running', createdAt: atSecond(0), targetUsers: 4 });
    await h.store.transitionRun('run_1', { from: ['Running'], to: 'Finished', at: atSecond(30), patch: { finishedAt: atSecond(30), finalMetrics: SNAPSHOT } });

    const response = await h.app.inject({ method: 'GET', url: `/v1/load-tests/${test.id}` });
    expect(json(response)).toEqual(toLoadTestView(stored));
    expect(json(response)).toMatchObject({ accountId: 'acc', tenantId: 'ten', createdBy: 'ana', updatedBy: 'bo', scenarioId: 'checkout', locustClusterId: 'rack-1', metadata });
  });

  it('of a metrics push, in the raw list', async () => {
    const run = await seedRun(h, test, { status: 'Running' });
    await h.store.appendMetrics(run.id, SNAPSHOT);
    expect(json(await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/metrics` })).items).toEqual([SNAPSHOT]);
  });
});
