#!/usr/bin/env node
// A 1-hour run's timeseries (3,600 pushes × 20 endpoints, goal ≤ 150 ms server time), this
// build against an older one side by side: each build seeds its own embedded store (an older
// build refuses a newer schema), both serve in this process, and their requests alternate in
// rounds through app.inject (server time, no network). Every answer of the two builds must be
// the same bytes, else the bench fails. Queries: no step, step 60 s, a 10-minute window.
// Usage: node bench/timeseries.mjs [rounds=7] [pushes=3600] [base dist=$LOADCTL_BENCH_BASE_DIST]   (after npm run build)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, header, median, spread, startBenchControlPlane } from './_lib.mjs';
import { pushBody } from './_push-body.mjs';
import { seedStore, snapshotOf } from './_seed.mjs';

const [rounds = 7, pushes = 3600] = process.argv.slice(2, 4).map(Number);
const baseDist = process.argv[4] ?? process.env.LOADCTL_BENCH_BASE_DIST;
const builds = { new: new URL('../dist/', import.meta.url), ...(baseDist ? { old: pathToFileURL(`${baseDist.replace(/\/$/, '')}/`) } : {}) };

const dataDir = mkdtempSync(join(tmpdir(), 'loadctl-bench-timeseries-'));
const served = {};
for (const [name, dist] of Object.entries(builds)) {
  const file = join(dataDir, `${name}.db`);
  const { store, runIds } = await seedStore(dist, file, { runs: 1 });
  for (let seq = 1; seq <= pushes; seq += 1) await store.appendMetrics(runIds[0], snapshotOf(pushBody(runIds[0], seq)));
  await store.close();
  const { SqliteStore } = await import(new URL('store/sqlite-store.js', dist));
  const opened = new SqliteStore({ file });
  await opened.init();
  const controlPlane = await startBenchControlPlane(dist, opened);
  served[name] = { store: opened, controlPlane, runId: runIds[0] };
}

const QUERIES = {
  'no step': '',
  'step=60': '?step=60',
  '10-min window': `?from=${new Date(Date.UTC(2026, 0, 1, 0, 20)).toISOString()}&to=${new Date(Date.UTC(2026, 0, 1, 0, 30)).toISOString()}`,
};
const bodies = {};
async function timed(name, query) {
  const { controlPlane, runId } = served[name];
  const url = `/v1/runs/${runId}/metrics/timeseries${query}`;
  const started = process.hrtime.bigint();
  const response = await controlPlane.app.inject({ method: 'GET', url });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.statusCode !== 200) throw new Error(`${name} ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  const seen = bodies[query];
  if (seen === undefined) bodies[query] = response.body;
  else if (seen !== response.body) throw new Error(`${url}: the builds answer differently`);
  return ms;
}

header(`timeseries: ${pushes} pushes × 20 endpoints; builds ${Object.entries(builds).map(([name, dist]) => `${name}=${dist.pathname}`).join(', ')}; ${rounds} alternating rounds, server time via app.inject`);
for (const [label, query] of Object.entries(QUERIES)) {
  const results = await alternate(rounds, Object.fromEntries(Object.keys(served).map((name) => [name, () => timed(name, query)])));
  const ratio = results.old ? `   new/old ×${(median(results.new) / median(results.old)).toFixed(3)}` : '';
  console.log(`${label.padEnd(14)} ${Object.entries(results).map(([name, values]) => `${name} ${spread(values)} ms`).join('   ')}${ratio}`);
}
for (const { controlPlane, store } of Object.values(served)) {
  await controlPlane.close();
  await store.close();
}
rmSync(dataDir, { recursive: true, force: true });

