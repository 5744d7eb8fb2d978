// A store with a test and `runs` finished runs (each with a 20-endpoint last push), for the
// command and query benches. Written straight through the store: no Locust needed.
import { pushBody } from './_push-body.mjs';

export async function seedStore(dist, file, { runs = 5, pushesPerRun = 0, endpoints = 20 } = {}) {
  const { SqliteStore } = await import(new URL('store/sqlite-store.js', dist));
  const store = new SqliteStore({ file });
  await store.init();
  const at = (seconds) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();
  const { test } = await store.createLoadTest(
    { id: 'lt_bench', name: 'bench', description: 'seeded by bench/', tags: ['bench'], targetUrl: 'http://127.0.0.1:9', defaultUsers: 10, defaultSpawnRate: 10, defaultDurationSec: 3600, extra: {}, createdAt: at(0), updatedAt: at(0) },
    { id: 'rev_bench', sha256: 'a'.repeat(64), sizeBytes: 1, cleanScript: 'x', injectedScript: 'x', createdAt: at(0) },
  );
  const ids = [];
  for (let index = 0; index < runs; index += 1) {
    const id = `run_bench_${String(index).padStart(6, '0')}`;
    const last = snapshotOf(pushBody(id, Math.max(1, pushesPerRun), endpoints));
    await store.createRun({
      id, loadTestId: test.id, scriptRevisionId: 'rev_bench', status: 'Finished',
      statusHistory: [{ from: null, to: 'Pending', at: at(index) }, { from: 'Pending', to: 'Running', at: at(index) }, { from: 'Running', to: 'Finished', at: at(index + 3600) }],
      targetUsers: 10, spawnRate: 10, durationSeconds: 3600, targetUrl: 'http://127.0.0.1:9', createdAt: at(index), startedAt: at(index), finishedAt: at(index + 3600),
      autoStopped: true, callbackToken: `token-${index}`, lastMetrics: last, finalMetrics: last,
    });
    ids.push(id);
  }
  return { store, testId: test.id, runIds: ids };
}

export function snapshotOf(body) {
  const { runId: _runId, histogramBaseSeq: _base, ...snapshot } = body;
  return snapshot;
}
