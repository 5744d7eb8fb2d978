#!/usr/bin/env node
// Ingest on MongoDB/FerretDB: metrics pushes/s the control plane stores on MongoStore (20 runs
// pushing 20-endpoint pushes with histograms, ≈6 KB, over HTTP from a worker thread, as
// bench/ingest.mjs does), against the driver alone doing the writes one push needs at least
// (insertOne of the metrics document, then the run's lastMetrics seq moved up with $max, the
// documents shaped as MongoStore writes them, 20 at a time), alternating rounds in one
// process on one server. The ratio control plane / driver is the figure (issue 14, row 2b).
// Server: LOADCTL_BENCH_MONGO_URI (or the 4th argument); otherwise a FerretDB started from
// LOADCTL_FERRETDB_BIN on a fresh SQLite dir. LOADCTL_BENCH_BASE=/path/to/other/bin/loadctl: that
// build's control plane takes pushes in the same rounds too (on its own database).
// Usage: node bench/ingest-mongo.mjs [rounds=5] [seconds=4] [runs=20] [uri]   (after npm run build)
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MongoClient } from 'mongodb';
import { alternate, header, median, percentile, spread, startBenchControlPlane } from './_lib.mjs';
import { hasFerretDb, startFerretDb } from './_ferretdb.mjs';
import { pushBody } from './_push-body.mjs';

const [rounds = 5, seconds = 4, runCount = 20] = process.argv.slice(2, 5).map(Number);
const givenUri = process.argv[5] ?? process.env.LOADCTL_BENCH_MONGO_URI;

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
const { url, runs, seconds, bodyModule } = workerData;
const { pushBody } = await import(bodyModule);
const pool = new Pool(url, { connections: runs.length, pipelining: 1 });
const latencies = [];
let errors = 0;
const failures = {};
const until = Date.now() + seconds * 1000;
await Promise.all(runs.map(async ({ id, token, seq: first }) => {
  let seq = first;
  while (Date.now() < until) {
    const started = performance.now();
    const response = await pool.request({ method: 'POST', path: '/v1/internal/locust/metrics', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify(pushBody(id, seq)) });
    const text = await response.body.text();
    latencies.push(performance.now() - started);
    if (response.statusCode !== 200 || JSON.parse(text).duplicate) {
      errors += 1;
      const why = response.statusCode === 200 ? 'duplicate' : response.statusCode + ' ' + (JSON.parse(text).code ?? JSON.parse(text).error?.code ?? '');
      failures[why] = (failures[why] ?? 0) + 1;
    }
    seq += 1;
  }
}));
await pool.close();
parentPort.postMessage({ latencies, errors, failures });
`;

function drive(url, runs) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { url, runs, seconds, bodyModule: new URL('./_push-body.mjs', import.meta.url).href } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const summary = (latencies, errors, failures = {}) => ({ rate: latencies.length / seconds, p50: median(latencies), p99: percentile(latencies, 99), errors, failures });

/** A test and `runCount` running runs in `store`, ids prefixed by `prefix`. */
async function seedRuns(store, prefix) {
  const at = new Date().toISOString();
  const { test } = await store.createLoadTest(
    { id: `lt_${prefix}`, name: `bench ${prefix}`, description: '', tags: [], targetUrl: 'http://127.0.0.1:9', defaultUsers: 10, defaultSpawnRate: 10, defaultDurationSec: 3600, extra: {}, createdAt: at, updatedAt: at },
    { id: `rev_${prefix}`, sha256: 'a'.repeat(64), sizeBytes: 1, cleanScript: 'x', injectedScript: 'x', createdAt: at },
  );
  const runs = [];
  for (let index = 0; index < runCount; index += 1) {
    const token = `bench-token-${index}-0123456789abcdef`;
    const id = `run_${prefix}_${index}`;
    await store.createRun({ id, loadTestId: test.id, scriptRevisionId: `rev_${prefix}`, status: 'Running', statusHistory: [{ from: null, to: 'Running', at }], targetUsers: 10, spawnRate: 10, durationSeconds: 3600, targetUrl: 'http://127.0.0.1:9', createdAt: at, startedAt: at, autoStopped: false, callbackToken: token });
    runs.push({ id, token, seq: 1 });
  }
  return runs;
}

/** The control plane of the build at `dist` on MongoStore (its own database), `runCount` runs to push to. */
async function startIngestTarget(dist, uri) {
  const { MongoStore } = await import(new URL('store/mongo-store.js', dist));
  const database = `loadctl_bench_${randomBytes(4).toString('hex')}`;
  const store = new MongoStore({ uri, database });
  await store.init();
  const runs = await seedRuns(store, 'cp');
  const controlPlane = await startBenchControlPlane(dist, store, { pushes: true });
  let sent = 0;
  return {
    database,
    async push() {
      const { latencies, errors, failures } = await drive(controlPlane.url, runs);
      for (const run of runs) run.seq += latencies.length; // next round's seqs stay above every stored one
      sent += latencies.length;
      return summary(latencies, errors, failures);
    },
    async close() {
      await controlPlane.close();
      await store.close();
      // This database holds only these runs' pushes: one count, no timeout (FerretDB v1 scans for
      // any filter besides _id, so reading each run's pushes back would take long).
      const client = new MongoClient(uri);
      await client.connect();
      const stored = await client.db(database).collection('metrics_timeseries').countDocuments({});
      await client.db(database).dropDatabase();
      await client.close();
      return { stored, sent };
    },
  };
}

/**
 * The driver alone, in this process: per push, the metrics document inserted (shaped by this
 * build's own encoder), then the run's lastMetricsSeq moved up ($max): the two writes of a push.
 */
async function startDriverAlone(dist, uri) {
  const { MongoStore } = await import(new URL('store/mongo-store.js', dist));
  const { toMetricsDocument } = await import(new URL('store/_mongo-documents.js', dist));
  const { snapshotOf } = await import(new URL('orchestrator/callbacks.js', dist));
  const database = `loadctl_bench_${randomBytes(4).toString('hex')}`;
  // Indexes (the unique runId+seq one included) and run documents exactly as loadctl makes them.
  const seeder = new MongoStore({ uri, database });
  await seeder.init();
  const runs = await seedRuns(seeder, 'driver');
  await seeder.close();
  const client = new MongoClient(uri, { ignoreUndefined: true });
  await client.connect();
  const db = client.db(database);
  const metrics = db.collection('metrics_timeseries');
  const runDocs = db.collection('load_test_runs');
  return {
    async push() {
      const latencies = [];
      let errors = 0;
      const until = Date.now() + seconds * 1000;
      await Promise.all(runs.map(async (run) => {
        while (Date.now() < until) {
          const started = performance.now();
          const snapshot = snapshotOf(pushBody(run.id, run.seq));
          try {
            await metrics.insertOne(toMetricsDocument(run.id, snapshot));
            const result = await runDocs.updateOne({ _id: run.id }, { $max: { lastMetricsSeq: snapshot.seq } });
            if (result.modifiedCount !== 1) errors += 1;
          } catch {
            errors += 1;
          }
          latencies.push(performance.now() - started);
          run.seq += 1;
        }
      }));
      return summary(latencies, errors);
    },
    async close() {
      await db.dropDatabase();
      await client.close();
    },
  };
}

if (!givenUri && !hasFerretDb()) {
  console.log('\n## ingest-mongo: skipped (no LOADCTL_BENCH_MONGO_URI and no FerretDB binary: set LOADCTL_FERRETDB_BIN or run scripts/build-ferretdb.sh)');
} else {
  const ferret = givenUri ? undefined : await startFerretDb();
  const uri = givenUri ?? ferret.uri;
  try {
    const dist = new URL('../dist/', import.meta.url);
    const base = process.env.LOADCTL_BENCH_BASE ? await startIngestTarget(new URL('../dist/', pathToFileURL(process.env.LOADCTL_BENCH_BASE)), uri) : undefined;
    const current = await startIngestTarget(dist, uri);
    const driver = await startDriverAlone(dist, uri);
    header(`ingest-mongo: ${runCount} runs pushing 20-endpoint pushes over HTTP to MongoStore on ${givenUri ? 'the given server' : 'FerretDB (SQLite, fresh)'}, against the driver alone, ${rounds} alternating rounds of ${seconds} s${base ? ', and the base build' : ''}`);
    const results = await alternate(rounds, { push: () => current.push(), driver: () => driver.push(), ...(base ? { base: () => base.push() } : {}) });
    const pick = (name, key) => results[name].map((row) => row[key]);
    const ratio = (name) => results[name].map((row, index) => row.rate / results.driver[index].rate);
    console.log(`control plane pushes/s   ${spread(pick('push', 'rate'), 0)}   p50 ${spread(pick('push', 'p50'))} / p99 ${spread(pick('push', 'p99'))} ms`);
    console.log(`driver alone pushes/s    ${spread(pick('driver', 'rate'), 0)}   p50 ${spread(pick('driver', 'p50'))} / p99 ${spread(pick('driver', 'p99'))} ms`);
    console.log(`control plane / driver   ×${spread(ratio('push'), 3)}   goal ≥ 0.9`);
    if (base) {
      console.log(`base pushes/s            ${spread(pick('base', 'rate'), 0)}   p50 ${spread(pick('base', 'p50'))} / p99 ${spread(pick('base', 'p99'))} ms`);
      console.log(`base / driver            ×${spread(ratio('base'), 3)}; this / base ×${spread(results.push.map((row, index) => row.rate / results.base[index].rate), 2)}`);
    }
    const failed = (name) => {
      const all = {};
      for (const row of results[name]) for (const [why, count] of Object.entries(row.failures)) all[why] = (all[why] ?? 0) + count;
      const total = pick(name, 'errors').reduce((a, b) => a + b, 0);
      return `${name} ${total}${Object.keys(all).length ? ` (${Object.entries(all).map(([why, count]) => `${why}: ${count}`).join(', ')})` : ''}`;
    };
    const refused = ['push', 'driver', ...(base ? ['base'] : [])].map(failed).join(', ');
    const { stored, sent } = await current.close();
    const baseCounts = base ? await base.close() : undefined;
    await driver.close();
    console.log(`stored ${stored} of ${sent} pushes sent${baseCounts ? ` (base: ${baseCounts.stored} of ${baseCounts.sent})` : ''}; failed, duplicate or not applied: ${refused}`);
  } finally {
    await ferret?.stop();
  }
}
