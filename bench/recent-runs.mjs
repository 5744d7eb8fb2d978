#!/usr/bin/env node
// Measures reading tests with their recentRuns (computed from their runs on every read): a page
// of T tests with R ended runs each, every run with full snapshots (20 endpoints, 100 buckets).
// Usage: node bench/recent-runs.mjs [tests=100] [runs=50] [mongodb URI]   (after `npm run build`;
// without a URI the embedded store in a temporary file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { MongoStore } from '../dist/store/mongo-store.js';
import { SqliteStore } from '../dist/store/sqlite-store.js';

const [testCount = 100, runCount = 50] = process.argv.slice(2, 4).map(Number);
const uri = process.argv[4];
const at = (second) => new Date(Date.UTC(2025, 0, 1) + second * 1000).toISOString();
const snapshot = (requests) => ({
  seq: 1, timestamp: at(requests), totalRps: 1, totalRequests: requests, totalFailures: 1, currentUsers: 5, errorRate: 0.01,
  avgResponseMs: 1, p50ResponseMs: 1, p95ResponseMs: 2, p99ResponseMs: 3, errors: [],
  requestStats: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`GET /e${i}`, { method: 'GET', name: `/e${i}`, numRequests: 1, numFailures: 0, avgResponseTime: 1, minResponseTime: 1, maxResponseTime: 1, medianResponseTime: 1, requestsPerSec: 1 }])),
  histogram: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [String(i * 10), i])),
});

const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-'));
const database = `loadctl_bench_${process.pid}`;
const store = uri ? new MongoStore({ uri, database, operationTimeoutMS: 120_000 }) : new SqliteStore({ file: join(dir, 'loadctl.db') });
await store.init();
for (let t = 0; t < testCount; t += 1) {
  const id = `lt_${t}`;
  await store.createLoadTest(
    { id, name: `test ${t}`, description: '', tags: [], targetUrl: 'http://127.0.0.1:8000', defaultUsers: 1, defaultSpawnRate: 1, defaultDurationSec: 1, extra: {}, createdAt: at(t), updatedAt: at(t) },
    { id: `rev_${t}`, cleanScript: 'x', injectedScript: 'y', sha256: 'a'.repeat(64), sizeBytes: 1, createdAt: at(t) },
  );
  for (let r = 0; r < runCount; r += 1) {
    await store.createRun({
      id: `run_${t}_${r}`, loadTestId: id, scriptRevisionId: `rev_${t}`, status: 'Finished', statusHistory: [], targetUsers: 1, spawnRate: 1,
      durationSeconds: 1, targetUrl: 'http://127.0.0.1:8000', callbackTokenHash: 'b'.repeat(64), createdAt: at(r), finishedAt: at(1000 + r),
      autoStopped: true, finalMetrics: snapshot(r), lastMetrics: snapshot(r),
    });
  }
}
async function time(what, read, times = 10) {
  await read();
  const start = performance.now();
  for (let i = 0; i < times; i += 1) await read();
  console.log(`${uri ? 'mongodb' : 'embedded'}, ${testCount} tests × ${runCount} ended runs: ${what} ${((performance.now() - start) / times).toFixed(1)} ms`);
}
await time(`listLoadTests (page of ${testCount})`, () => store.listLoadTests({ limit: testCount, offset: 0 }));
await time('getLoadTest', () => store.getLoadTest('lt_0'));
await store.close();
if (uri) {
  const client = new MongoClient(uri);
  await client.db(database).dropDatabase();
  await client.close();
}
rmSync(dir, { recursive: true, force: true });
