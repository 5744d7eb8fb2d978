// A control plane app over a real embedded store and a real Orchestrator whose Locust never
// starts: enough for the HTTP contract. Launching a real Locust is covered end to end elsewhere.
import type { LocustCluster } from '../../src/config/config.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildControlPlane } from '../../src/controlplane/server.js';
import { newId, newToken } from '../../src/controlplane/ids.js';
import { callbackTokenMatches, deriveLaunchToken } from '../../src/domain/run-secrets.js';
import type { MetricsSnapshot, Run } from '../../src/domain/types.js';
import type { LocustClient } from '../../src/locust/locust-client.js';
import type { LocustExit, LocustLaunch, LocustSpawner } from '../../src/locust/locust-process.js';
import { createPythonSyntaxChecker } from '../../src/locust/syntax-check.js';
import { Orchestrator, type OrchestratorDeps } from '../../src/orchestrator/orchestrator.js';
import { RunEventBus } from '../../src/orchestrator/run-events.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export const SHOP_SCRIPT = [
  '"""Browse the shop."""',
  'from locust import HttpUser, task',
  '',
  '',
  'class Shopper(HttpUser):',
  '    @task',
  '    def browse(self):',
  '        self.client.get("/products")',
  '',
].join('\n');

export const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export const FAKE_EXIT: LocustExit = { exitCode: 1, outputTail: ['RuntimeError: the test spawner starts no Locust'] };

/** A spawner whose Locust has exited before it answered: every launch ends Failed. */
export function neverStartingSpawner(launches: LocustLaunch[]): LocustSpawner {
  return (launch) => {
    launches.push(launch);
    return {
      webUrl: `http://127.0.0.1:${launch.webPort}`,
      exited: Promise.resolve(FAKE_EXIT),
      announcedReady: new Promise<void>(() => {}),
      announcedCompiled: new Promise<void>(() => {}),
      hasExited: () => true,
      outputTail: () => FAKE_EXIT.outputTail,
      terminate: async () => FAKE_EXIT,
    };
  };
}

const unreachableLocust: LocustClient = {
  isReady: async () => false,
  setContext: () => Promise.reject(new Error('no Locust in these tests')),
  swarm: () => Promise.reject(new Error('no Locust in these tests')),
  stop: () => Promise.reject(new Error('no Locust in these tests')),
  workers: async () => [],
  finalReport: () => Promise.reject(new Error('no Locust in these tests')),
  currentRun: async () => null,
};

export interface Harness {
  app: FastifyInstance;
  store: SqliteStore;
  /** The embedded store's file, for tests that read what is stored past the Store. */
  dbFile: string;
  orchestrator: Orchestrator;
  launches: LocustLaunch[];
  logs: string[];
  /** The clear callback token of a run the API started (the store holds only its hash). */
  callbackTokenOf(runId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { apiToken?: string; defaultThresholds?: boolean; allowedHosts?: readonly string[]; locustClusters?: LocustCluster[]; locustClient?: LocustClient; locustCallbackToken?: string; prepareRequirements?: OrchestratorDeps['prepareRequirements'] } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'loadctl-api-test-'));
  const dbFile = join(dir, 'loadctl.db');
  const store = new SqliteStore({ file: dbFile });
  await store.init();
  const events = new RunEventBus();
  const logs: string[] = [];
  const log = (message: string): void => void logs.push(message);
  const launches: LocustLaunch[] = [];
  const now = (): Date => new Date();
  // Tokens handed out, so a test can present a run's callback token as its Locust would.
  const issued: string[] = [];
  const issueToken = (): string => {
    const token = newToken();
    issued.push(token);
    return token;
  };
  const orchestrator = new Orchestrator({
    store,
    events,
    now,
    launchTokenFor: (runId) => deriveLaunchToken('harness-launch-secret-0123456789abcdef', runId),
    findPort: async () => 18089,
    spawn: neverStartingSpawner(launches),
    clientFor: () => options.locustClient ?? unreachableLocust,
    ...(options.locustClusters ? { clusters: options.locustClusters } : {}),
    runtime: async () => ({ command: ['locust'], python: 'python3', source: 'locust-bin' }),
    callbackUrl: () => 'http://127.0.0.1:1/v1/internal/locust',
    metricsIntervalSeconds: 1,
    ...(options.locustClusters ? { clusters: options.locustClusters } : {}),
    ...(options.prepareRequirements ? { prepareRequirements: options.prepareRequirements } : {}),
    log,
  });
  const app = await buildControlPlane({
    store,
    orchestrator,
    events,
    checkScript: createPythonSyntaxChecker('python3'),
    now,
    newId,
    newToken: issueToken,
    ...(options.apiToken ? { apiToken: options.apiToken } : {}),
    ...(options.locustClusters ? { locustClusters: options.locustClusters } : {}),
    ...(options.locustCallbackToken ? { locustCallbackToken: options.locustCallbackToken } : {}),
    defaultThresholds: options.defaultThresholds ?? true,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    log,
  });
  return {
    app,
    store,
    dbFile,
    orchestrator,
    launches,
    logs,
    async callbackTokenOf(runId) {
      const run = await store.getRun(runId);
      const token = run && issued.find((candidate) => callbackTokenMatches(run, candidate));
      if (!token) throw new Error(`no callback token was issued for run ${runId}`);
      return token;
    },
    async close() {
      await app.close();
      await orchestrator.shutdown();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Re-reads the run until `done` holds; fails with the last state after the deadline. */
export async function waitForRun(store: SqliteStore, runId: string, done: (run: Run) => boolean, timeoutMs = 10_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await store.getRun(runId);
    if (run && done(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not reach the expected state in ${timeoutMs} ms; it is ${run?.status ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function json<T = Record<string, any>>(response: LightMyRequestResponse): T {
  return response.json() as T;
}

export const NEW_TEST = { name: 'shop', targetUrl: 'http://127.0.0.1:8000', scriptContent: base64(SHOP_SCRIPT) };

/** Creates a load test through the API (so its script is checked and injected as in real use). */
export type CreatedTest = Record<string, any> & { id: string; latestRevisionId: string };

export async function createTestViaApi(h: Harness, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<CreatedTest> {
  const response = await h.app.inject({ method: 'POST', url: '/v1/load-tests', payload: { ...NEW_TEST, ...body }, headers });
  if (response.statusCode !== 201) throw new Error(`creating a test answered ${response.statusCode}: ${response.body}`);
  return json<CreatedTest>(response);
}

/**
 * Writes a run straight into the store, in any status and with any metrics, without the
 * orchestrator: for routes that read runs, where a launched run would only end Failed.
 * Returns the run as stored plus its clear `callbackToken`, for the test to present.
 */
export async function seedRun(h: Harness, test: { id: string; latestRevisionId: string }, overrides: Partial<Run> = {}): Promise<Run & { callbackToken: string }> {
  const callbackToken = overrides.callbackToken ?? newToken();
  const stored = await h.store.createRun({
    id: newId('run'),
    loadTestId: test.id,
    scriptRevisionId: test.latestRevisionId,
    status: 'Finished',
    statusHistory: [{ from: null, to: 'Pending', at: '2025-01-01T00:00:00.000Z', reason: 'run requested' }],
    targetUsers: 5,
    spawnRate: 5,
    durationSeconds: 30,
    targetUrl: 'http://127.0.0.1:8000',
    createdAt: '2025-01-01T00:00:00.000Z',
    autoStopped: false,
    ...overrides,
    callbackToken,
  });
  return { ...stored, callbackToken };
}

/** Everything the store holds, to show that a refused request changed nothing. */
export async function storeContents(store: SqliteStore): Promise<unknown> {
  const tests = (await store.listLoadTests({ limit: 500, offset: 0 })).items;
  const runs = (await store.listRuns({ limit: 500, offset: 0 })).items;
  return {
    tests,
    revisions: await Promise.all(tests.map((test) => store.listScriptRevisions(test.id))),
    runs,
    metrics: await Promise.all(runs.map((run) => store.listMetrics(run.id))),
  };
}

/** A 400 LOADCTL_BAD_REQUEST that names the field. */
export function expectBadRequest(response: LightMyRequestResponse, field: string): void {
  expect(response.statusCode, response.body).toBe(400);
  expect(json(response).error).toMatchObject({ code: 'LOADCTL_BAD_REQUEST', details: { field } });
}

export function expectError(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(json(response).error.code).toBe(code);
}

/** A metrics push at `seconds` after 2025-01-01T00:00:00Z; everything not given is zero or empty. */
export function push(seq: number, seconds: number, overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    seq,
    timestamp: atSecond(seconds),
    totalRps: 0,
    totalRequests: 0,
    totalFailures: 0,
    currentUsers: 0,
    errorRate: 0,
    avgResponseMs: 0,
    p50ResponseMs: 0,
    p95ResponseMs: 0,
    p99ResponseMs: 0,
    requestStats: {},
    errors: [],
    histogram: {},
    ...overrides,
  };
}

export function atSecond(seconds: number): string {
  return new Date(Date.UTC(2025, 0, 1) + seconds * 1000).toISOString();
}
