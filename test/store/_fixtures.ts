// Builders for the store contract: small, valid entities with unique ids.
import { randomUUID } from 'node:crypto';
import { hashCallbackToken } from '../../src/domain/run-secrets.js';
import type { EndpointStats, MetricsSnapshot, Run, RunSummary } from '../../src/domain/types.js';
import type { NewLoadTest, NewScriptRevision, Store } from '../../src/store/store.js';

/** A fixed, distinct ISO timestamp per number, so "newest first" has one right answer. */
export function at(second: number): string {
  return new Date(Date.UTC(2025, 0, 1, 0, 0, 0) + second * 1000).toISOString();
}

export function newLoadTest(overrides: Partial<NewLoadTest> = {}): NewLoadTest {
  return {
    id: `lt_${randomUUID()}`,
    // Names are unique per store: each built test gets its own.
    name: `Checkout flow ${randomUUID().slice(0, 8)}`,
    description: 'Browse and buy',
    tags: ['smoke'],
    targetUrl: 'http://127.0.0.1:8000',
    defaultUsers: 5,
    defaultSpawnRate: 2,
    defaultDurationSec: 30,
    maxDurationSec: 600,
    // Keys a document store may refuse as field names: they must survive all the same.
    extra: { createdBy: 'ci', metadata: { 'team.name': 'shop', $owner: 'ana', nested: { list: [1, 'two'] } } },
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function newRevision(overrides: Partial<NewScriptRevision> = {}): NewScriptRevision {
  const cleanScript = `from locust import HttpUser, task\n# ${randomUUID()}\n`;
  return {
    id: `rev_${randomUUID()}`,
    cleanScript,
    injectedScript: `import loadctl_plugin  # injected\n${cleanScript}`,
    sha256: 'a'.repeat(64),
    sizeBytes: cleanScript.length,
    createdAt: at(0),
    ...overrides,
  };
}

export async function createTest(
  store: Store,
  overrides: Partial<NewLoadTest> = {},
): ReturnType<Store['createLoadTest']> {
  const test = newLoadTest(overrides);
  return store.createLoadTest(test, newRevision({ createdAt: test.createdAt }));
}

export function newRun(loadTestId: string, scriptRevisionId: string, overrides: Partial<Run> = {}): Run {
  const createdAt = overrides.createdAt ?? at(10);
  return {
    id: `run_${randomUUID()}`,
    loadTestId,
    scriptRevisionId,
    status: 'Pending',
    statusHistory: [{ from: null, to: 'Pending', at: createdAt }],
    targetUsers: 5,
    spawnRate: 2,
    durationSeconds: 30,
    targetUrl: 'http://127.0.0.1:8000',
    callbackTokenHash: hashCallbackToken(randomUUID()),
    createdAt,
    autoStopped: false,
    ...overrides,
  };
}

/** A test with one run in it, the common starting point. */
export async function createTestAndRun(store: Store, overrides: Partial<Run> = {}): Promise<Run> {
  const { test, revision } = await createTest(store);
  return store.createRun(newRun(test.id, revision.id, overrides));
}

function endpoint(method: string, name: string, seq: number): EndpointStats {
  return {
    method,
    name,
    numRequests: 100 * seq,
    numFailures: seq,
    avgResponseTime: 12.5,
    minResponseTime: 1,
    maxResponseTime: 250,
    medianResponseTime: 11,
    p95ResponseTime: 40,
    p99ResponseTime: 95,
    requestsPerSec: 3.25,
  };
}

/** Endpoint names with dots, brackets, spaces and a leading "$", as real scripts produce. */
export const AWKWARD_ENDPOINTS: ReadonlyArray<[string, string]> = [
  ['GET', '/api/products/[id]'],
  ['GET', '/v1.2/x'],
  ['POST', '/search?q=red shoes'],
  ['GET', '$metrics.json'],
];

export function newSnapshot(seq: number, overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    seq,
    timestamp: at(100 + seq),
    totalRps: 10.5 + seq,
    totalRequests: 400 * seq,
    totalFailures: 4 * seq,
    currentUsers: 5,
    errorRate: 0.01,
    avgResponseMs: 12.5,
    p50ResponseMs: 11,
    p95ResponseMs: 40,
    p99ResponseMs: 95,
    requestStats: Object.fromEntries(
      AWKWARD_ENDPOINTS.map(([method, name]) => [`${method} ${name}`, endpoint(method, name, seq)]),
    ),
    errors: [{ method: 'GET', name: '/v1.2/x', error: 'HTTPError(500, "a.b")', occurrences: seq }],
    // Locust rounds response times to about two significant digits: buckets like 0, 9, 110, 2400.
    histogram: { '0': 1, '9': 3 * seq, '110': 7, '2400': 1, '2.5': 2 },
    ...overrides,
  };
}

export function newSummary(runId: string, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId,
    status: 'Finished',
    createdAt: at(10),
    finishedAt: at(40),
    targetUsers: 5,
    durationSeconds: 30,
    totalRequests: 1200,
    totalFailures: 12,
    errorRate: 0.01,
    p95ResponseMs: 40,
    ...overrides,
  };
}
