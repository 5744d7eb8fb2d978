// Stored runs with known numbers for the console's browser tests, written straight into an
// embedded store before `loadctl serve` opens it (no Locust needed for history and compare).
import { join } from 'node:path';
import { injectPlugin } from '../../src/domain/inject-plugin.js';
import { sha256Of } from '../../src/domain/script-source.js';
import type { EndpointStats, MetricsSnapshot, Run } from '../../src/domain/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export const SEED_SCRIPT_V1 = ['from locust import HttpUser, task', '', '', 'class Shopper(HttpUser):', '    @task', '    def browse(self):', '        self.client.get("/products")', ''].join('\n');
export const SEED_SCRIPT_V2 = SEED_SCRIPT_V1.replace('self.client.get("/products")', 'self.client.get("/products")\n        self.client.get("/cart")');

/** Each seeded run: 10 s of load, requests and p95 as given (rps = requests / 10). */
export interface SeededRun {
  id: string;
  requests: number;
  failures: number;
  p95: number;
}

export interface Seeded {
  testId: string;
  testName: string;
  runs: SeededRun[];
}

const endpoint = (name: string, requests: number, failures: number, p95: number): EndpointStats => ({
  method: 'GET',
  name,
  numRequests: requests,
  numFailures: failures,
  avgResponseTime: p95 / 2,
  minResponseTime: 1,
  maxResponseTime: p95 * 2,
  medianResponseTime: p95 / 2,
  p50ResponseTime: p95 / 2,
  p95ResponseTime: p95,
  p99ResponseTime: p95 * 1.5,
  requestsPerSec: requests / 10,
});

function push(seq: number, start: number, seconds: number, requests: number, failures: number, p95: number): MetricsSnapshot {
  const end = new Date(start + seconds * 1000).toISOString();
  return {
    seq,
    timestamp: end,
    intervalStart: new Date(start + (seconds - 5) * 1000).toISOString(),
    intervalEnd: end,
    totalRps: requests / seconds,
    totalRequests: requests,
    totalFailures: failures,
    currentUsers: 5,
    errorRate: requests ? failures / requests : 0,
    avgResponseMs: p95 / 2,
    p50ResponseMs: p95 / 2,
    p95ResponseMs: p95,
    p99ResponseMs: p95 * 1.5,
    maxResponseMs: p95 * 2,
    requestStats: { 'GET /products': endpoint('/products', requests, failures, p95) },
    errors: failures ? [{ method: 'GET', name: '/products', error: 'HTTPError(500)', occurrences: failures }] : [],
    histogram: { [String(p95)]: Math.round(requests / 2) },
    peakUsers: 5,
    ...(failures >= 20 ? { totalExceptions: 3, exceptions: [{ message: "ValueError('bad id')", traceback: 'Traceback (most recent call last):\n  File "locustfile.py", line 7, in browse\nValueError: bad id', count: 3, where: 'locustfile.py:7 in browse' }] } : {}),
  };
}

/** A test with two script revisions and three Finished runs a minute apart. */
export async function seedStore(dataDir: string, runs: Array<Omit<SeededRun, 'id'>>): Promise<Seeded> {
  const store = new SqliteStore({ file: join(dataDir, 'loadctl.db') });
  await store.init();
  try {
    const created = new Date(Date.now() - 60 * 60 * 1000);
    const at = (minutes: number) => new Date(created.getTime() + minutes * 60_000).toISOString();
    const revision = (script: string, id: string, createdAt: string) => ({ id, cleanScript: script, injectedScript: injectPlugin(script), sha256: sha256Of(script), sizeBytes: Buffer.byteLength(script), createdAt });
    const { test, revision: first } = await store.createLoadTest(
      { id: 'lt_seededhistory', name: 'seeded-history', description: 'Runs with known numbers', tags: ['seed'], targetUrl: 'http://127.0.0.1:9', defaultUsers: 5, defaultSpawnRate: 5, defaultDurationSec: 10, extra: {}, createdAt: at(0), updatedAt: at(0), projectId: 'shop' },
      revision(SEED_SCRIPT_V1, 'rev_seeded1', at(0)),
    );
    await store.addScriptRevision(test.id, revision(SEED_SCRIPT_V2, 'rev_seeded2', at(1)));
    const seeded: SeededRun[] = [];
    for (const [index, numbers] of runs.entries()) {
      const id = `run_seeded${index + 1}`;
      const start = created.getTime() + (index + 2) * 60_000;
      const pushes = [push(1, start, 5, numbers.requests / 2, Math.floor(numbers.failures / 2), numbers.p95), push(2, start, 10, numbers.requests, numbers.failures, numbers.p95)];
      const startedAt = new Date(start).toISOString();
      const finishedAt = new Date(start + 10_000).toISOString();
      const run: Run = {
        id,
        loadTestId: test.id,
        scriptRevisionId: first.id,
        name: `seeded run ${index + 1}`,
        status: 'Finished',
        statusHistory: [
          { from: null, to: 'Pending', at: startedAt },
          { from: 'Pending', to: 'Finished', at: finishedAt, reason: 'duration elapsed' },
        ],
        targetUsers: 5,
        spawnRate: 5,
        durationSeconds: 10,
        targetUrl: test.targetUrl,
        projectId: 'shop',
        createdAt: startedAt,
        startedAt,
        finishedAt,
        autoStopped: true,
        lastMetrics: pushes[1],
        finalMetrics: pushes[1],
        thresholdVerdicts: [{ threshold: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, observed: numbers.p95, passed: numbers.p95 < 500 }],
        verdict: numbers.p95 < 500 ? 'passed' : 'failed',
      };
      await store.createRun(run);
      for (const snapshot of pushes) await store.appendMetrics(id, snapshot);
      seeded.push({ id, ...numbers });
    }
    return { testId: test.id, testName: test.name, runs: seeded };
  } finally {
    await store.close();
  }
}
