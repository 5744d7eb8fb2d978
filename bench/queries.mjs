#!/usr/bin/env node
// Query times on a big embedded store: the first page of GET /v1/runs with N runs stored
// (goal ≤ 50 ms server time at 100,000), and a 1-hour run's timeseries (3,600 pushes × 20
// endpoints; goal ≤ 150 ms), each alternating with GET /health (a no-op route) in rounds,
// through app.inject (server time, no network). Also `loadctl runs list` wall time on it.
// Usage: node bench/queries.mjs [rounds=9] [runs=100000] [pushes=3600]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { alternate, header, spread, startBenchControlPlane } from './_lib.mjs';
import { pushBody } from './_push-body.mjs';
import { seedStore, snapshotOf } from './_seed.mjs';

const [rounds = 9, runCount = 100_000, pushes = 3600] = process.argv.slice(2).map(Number);
const dist = new URL('../dist/', import.meta.url);
const dataDir = mkdtempSync(join(tmpdir(), 'loadctl-bench-queries-'));
const file = join(dataDir, 'loadctl.db');

const seedStarted = Date.now();
const base = Math.min(runCount, 1000);
const { store, runIds } = await seedStore(dist, file, { runs: base });
const longRun = runIds[0];
for (let seq = 1; seq <= pushes; seq += 1) await store.appendMetrics(longRun, snapshotOf(pushBody(longRun, seq)));
await store.close();
// The other runs: copies of the seeded ones under new ids, written in one statement.
if (runCount > base) {
  const db = new Database(file);
  const columns = db.pragma('table_info(load_test_runs)').map((column) => column.name);
  const expression = (column) => (column === 'id' ? "id || '_' || n" : column === 'doc' ? "json_set(doc, '$.id', id || '_' || n)" : column);
  db.exec(`WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies WHERE n < ${Math.ceil(runCount / base) - 1})
    INSERT INTO load_test_runs (${columns.join(', ')}) SELECT ${columns.map(expression).join(', ')} FROM load_test_runs CROSS JOIN copies`);
  db.close();
}
const seededIn = (Date.now() - seedStarted) / 1000;

const { SqliteStore } = await import(new URL('store/sqlite-store.js', dist));
const served = new SqliteStore({ file });
await served.init();
const total = (await served.listRuns({ limit: 1, offset: 0 })).total;
const controlPlane = await startBenchControlPlane(dist, served);

async function timed(url) {
  const started = process.hrtime.bigint();
  const response = await controlPlane.app.inject({ method: 'GET', url });
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

header(`queries: ${total} runs stored (seeded in ${seededIn.toFixed(0)} s), run ${longRun} with ${pushes} pushes × 20 endpoints; ${rounds} alternating rounds, server time via app.inject`);
const results = await alternate(rounds, {
  runsPage: () => timed('/v1/runs?limit=20'),
  timeseries: () => timed(`/v1/runs/${longRun}/metrics/timeseries`),
  health: () => timed('/health'),
});
console.log(`GET /v1/runs first page (20)     ${spread(results.runsPage)} ms   goal ≤ 50 ms`);
console.log(`GET …/metrics/timeseries (${pushes} pts) ${spread(results.timeseries)} ms   goal ≤ 150 ms`);
console.log(`GET /health                       ${spread(results.health)} ms`);
await controlPlane.close();
await served.close();

const bin = fileURLToPath(new URL('../bin/loadctl', import.meta.url));
const walls = [];
for (let round = 0; round < 5; round += 1) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'runs', 'list', '--data-dir', dataDir], { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  walls.push(Number(process.hrtime.bigint() - started) / 1e9);
}
console.log(`loadctl runs list (wall, ${total} runs) ${spread(walls)} s`);
rmSync(dataDir, { recursive: true, force: true });
