#!/usr/bin/env node
// Measures what a person waits for in `loadctl demo --duration D --users U`: the whole wall
// time, the start-up until Locust spawns users, how exactly the run stops at its duration,
// and the tail from stop to exit. Usage: node bench/run-timings.mjs [runs=3] [duration=10] [users=5]
// (after `npm run build`; pass LOADCTL_LOCUST to use an existing Locust, else loadctl's venv).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [runs = 3, duration = 10, users = 5] = process.argv.slice(2).map(Number);
const bin = fileURLToPath(new URL('../bin/loadctl', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'loadctl-bench-'));
const locustArgs = process.env.LOADCTL_LOCUST ? ['--locust-bin', process.env.LOADCTL_LOCUST] : [];
const rows = [];

try {
  for (let index = 0; index < runs; index += 1) {
    const started = Date.now();
    const result = spawnSync(process.execPath, [bin, 'demo', '--duration', String(duration), '--users', String(users), '--data-dir', dataDir, ...locustArgs], {
      env: { ...process.env, CI: 'true' },
      encoding: 'utf8',
    });
    const exited = Date.now();
    if (result.status !== 0) throw new Error(`demo exited ${result.status}:\n${result.stderr}`);
    const run = JSON.parse(execFileSync(process.execPath, [bin, 'runs', 'list', '--json', '--limit', '1', '--data-dir', dataDir], { encoding: 'utf8' })).items[0];
    const at = (status) => Date.parse(run.statusHistory.find((change) => change.to === status).at);
    rows.push({
      wallSeconds: (exited - started) / 1000,
      untilSpawningSeconds: (at('Running') - started) / 1000,
      ranSeconds: (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000,
      stopToExitSeconds: (exited - at('Finished')) / 1000,
      requests: run.finalMetrics.totalRequests,
    });
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`loadctl demo --duration ${duration} --users ${users}, ${runs} runs`);
console.table(rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value.toFixed(2))]))));
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`median wall ${median(rows.map((row) => row.wallSeconds)).toFixed(2)} s; median start-up ${median(rows.map((row) => row.untilSpawningSeconds)).toFixed(2)} s; median overshoot ${(median(rows.map((row) => row.ranSeconds)) - duration).toFixed(2)} s`);
