#!/usr/bin/env node
// Ingest: metrics pushes per second the control plane stores (embedded store), each a
// realistic 20-endpoint push with its histogram (≈6 KB), against GET /health (no store
// write) in the same process, alternating rounds. Pushes come from a worker thread over
// HTTP, one connection per run, as Locust plugins do; every push must be stored once.
// A third control plane takes the same pushes with its store's push write made a no-op (the run
// is still read): what HTTP, parsing, validation, authentication and the answer alone allow.
// With LOADCTL_BENCH_BASE=/path/to/other/bin/loadctl that build takes pushes in the same rounds.
// Usage: node bench/ingest.mjs [rounds=5] [seconds=4] [runs=20]   (after npm run build)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { alternate, header, median, percentile, spread, startBenchControlPlane } from './_lib.mjs';

const [rounds = 5, seconds = 4, runCount = 20] = process.argv.slice(2).map(Number);

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
const { url, runs, seconds, health, bodyModule } = workerData;
const { pushBody } = await import(bodyModule);
const pool = new Pool(url, { connections: runs.length, pipelining: 1 });
const latencies = [];
let errors = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(runs.map(async ({ id, token, seq: first }) => {
  let seq = first;
  while (Date.now() < until) {
    const started = performance.now();
    const response = health
      ? await pool.request({ method: 'GET', path: '/health' })
      : await pool.request({ method: 'POST', path: '/v1/internal/locust/metrics', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify(pushBody(id, seq)) });
    const text = await response.body.text();
    latencies.push(performance.now() - started);
    if (response.statusCode !== 200 || (!health && JSON.parse(text).duplicate)) errors += 1;
    seq += 1;
  }
}));
await pool.close();
parentPort.postMessage({ latencies, errors });
`;

function drive(url, runs, health) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { url, runs, seconds, health, bodyModule: new URL('./_push-body.mjs', import.meta.url).href } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/**
 * CPU seconds the main thread (the control plane) has used: on a busy machine pushes per
 * CPU-second of the control plane says what it costs, where pushes/s says how much CPU was left.
 */
function mainThreadCpuSeconds() {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ').pop().split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

/** A control plane of the build at `dist` on a fresh embedded store, with `runCount` running runs to push to. */
async function startIngestTarget(dist, { noopWrites = false } = {}) {
  const { SqliteStore } = await import(new URL('store/sqlite-store.js', dist));
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-ingest-'));
  const store = new SqliteStore({ file: join(dir, 'loadctl.db') });
  await store.init();
  if (noopWrites) {
    store.appendMetrics = async () => true;
    store.appendMetricsReadingRun = async (runId) => ({ stored: true, run: await store.getRun(runId, { snapshots: false }) });
  }
  const at = new Date().toISOString();
  const { test } = await store.createLoadTest(
    { id: 'lt_bench', name: 'bench', description: '', tags: [], targetUrl: 'http://127.0.0.1:9', defaultUsers: 10, defaultSpawnRate: 10, defaultDurationSec: 3600, extra: {}, createdAt: at, updatedAt: at },
    { id: 'rev_bench', sha256: 'a'.repeat(64), sizeBytes: 1, cleanScript: 'x', injectedScript: 'x', createdAt: at },
  );
  const runs = [];
  for (let index = 0; index < runCount; index += 1) {
    const token = `bench-token-${index}-0123456789abcdef`;
    await store.createRun({ id: `run_bench_${index}`, loadTestId: test.id, scriptRevisionId: 'rev_bench', status: 'Running', statusHistory: [{ from: null, to: 'Running', at }], targetUsers: 10, spawnRate: 10, durationSeconds: 3600, targetUrl: 'http://127.0.0.1:9', createdAt: at, startedAt: at, autoStopped: false, callbackToken: token });
    runs.push({ id: `run_bench_${index}`, token, seq: 1 });
  }
  const controlPlane = await startBenchControlPlane(dist, store, { pushes: true });
  let sent = 0;
  return {
    async push() {
      const cpuBefore = mainThreadCpuSeconds();
      const { latencies, errors } = await drive(controlPlane.url, runs, false);
      const cpu = mainThreadCpuSeconds() - cpuBefore;
      for (const run of runs) run.seq += latencies.length; // next round's seqs stay above every stored one
      sent += latencies.length;
      return { rate: latencies.length / seconds, perCpuSecond: latencies.length / cpu, p50: median(latencies), p99: percentile(latencies, 99), errors };
    },
    async health() {
      const { latencies, errors } = await drive(controlPlane.url, runs, true);
      return { rate: latencies.length / seconds, p50: median(latencies), p99: percentile(latencies, 99), errors };
    },
    async close() {
      let stored = 0;
      for (const run of runs) stored += noopWrites ? 0 : (await store.listMetrics(run.id)).length;
      await controlPlane.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      return { stored, sent };
    },
  };
}

{
  // LOADCTL_BENCH_BASE=/path/to/other/bin/loadctl: that build's control plane takes pushes in the same rounds.
  const base = process.env.LOADCTL_BENCH_BASE ? await startIngestTarget(new URL('../dist/', pathToFileURL(process.env.LOADCTL_BENCH_BASE))) : undefined;
  const current = await startIngestTarget(new URL('../dist/', import.meta.url));
  const noop = await startIngestTarget(new URL('../dist/', import.meta.url), { noopWrites: true });
  header(`ingest: ${runCount} runs pushing 20-endpoint pushes over HTTP, ${rounds} alternating rounds of ${seconds} s${base ? ', this build and the base build' : ''}`);
  const results = await alternate(rounds, { push: () => current.push(), health: () => current.health(), noop: () => noop.push(), ...(base ? { base: () => base.push() } : {}) });
  const pick = (name, key) => results[name].map((row) => row[key]);
  console.log(`pushes/s          ${spread(pick('push', 'rate'), 0)}   goal ≥ 5000`);
  console.log(`push p50 / p99 ms ${spread(pick('push', 'p50'))} / ${spread(pick('push', 'p99'))}   goal p99 < 50`);
  console.log(`pushes per control-plane CPU-second ${spread(pick('push', 'perCpuSecond'), 0)}`);
  console.log(`/health req/s     ${spread(pick('health', 'rate'), 0)}   p99 ${spread(pick('health', 'p99'))} ms`);
  console.log(`push / health     ×${spread(results.push.map((row, index) => row.rate / results.health[index].rate), 3)}`);
  console.log(`no-op push write  ${spread(pick('noop', 'rate'), 0)} pushes/s, per CPU-second ${spread(pick('noop', 'perCpuSecond'), 0)}; push / that ×${spread(results.push.map((row, index) => row.rate / results.noop[index].rate), 3)}`);
  if (base) {
    console.log(`base pushes/s     ${spread(pick('base', 'rate'), 0)}   p50 ${spread(pick('base', 'p50'))} / p99 ${spread(pick('base', 'p99'))} ms; per CPU-second ${spread(pick('base', 'perCpuSecond'), 0)}`);
    console.log(`this / base       ×${spread(results.push.map((row, index) => row.rate / results.base[index].rate), 2)} pushes/s, ×${spread(results.push.map((row, index) => row.perCpuSecond / results.base[index].perCpuSecond), 2)} per CPU-second`);
  }
  const refused = [...pick('push', 'errors'), ...(base ? pick('base', 'errors') : [])].reduce((a, b) => a + b, 0);
  const { stored, sent } = await current.close();
  await noop.close();
  const baseCounts = base ? await base.close() : undefined;
  console.log(`stored ${stored} of ${sent} pushes sent${baseCounts ? ` (base: ${baseCounts.stored} of ${baseCounts.sent})` : ''}; refused or duplicate: ${refused}`);
}
