import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { countOf } from '../../src/domain/histogram.js';
import type { MetricsSnapshot, Run } from '../../src/domain/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { processesWithEnv } from '../support/processes.js';

// One real run, end to end: demo target + `loadctl run` (a separate process) + real Locust +
// the embedded store. Everything below is read back from what that run left behind.
const USERS = 5;
const DURATION_SECONDS = 5;
const SCRIPT_ENDPOINTS = ['GET /api/products', 'GET /api/products/[id]', 'GET /api/search', 'POST /api/cart/items'];

interface LocustEntry {
  name: string;
  method: string;
  num_requests: number;
  num_failures: number;
}

describe('loadctl run against the demo target with the embedded store', () => {
  let target: DemoTarget;
  let workDir: string;
  let result: CliResult;
  let run: Run;
  let metrics: MetricsSnapshot[];
  let locustFinal: LocustEntry[];
  const marker = `e2e-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-e2e-'));
    target = await startDemoTarget({ port: 0, errorRate: 0.05 });
    result = await runCli(
      [
        'run',
        '--script', join(REPO_ROOT, 'locust/examples/products.py'),
        '--host', target.url,
        '--duration', String(DURATION_SECONDS),
        '--users', String(USERS),
        '--data-dir', join(workDir, 'data'),
        '--locust-bin', locustBinForTests(),
        // The target fails 5% on purpose (to count failures): judge the run by a rule that allows it.
        '--threshold', 'error_rate<50%',
        // Locust's own record of the final numbers, written when loadctl quits it.
        '--', '--json-file', join(workDir, 'locust-final'),
      ],
      { env: { LOADCTL_E2E_MARKER: marker } },
    );
    const listed = await runCli(['runs', 'list', '--json', '--data-dir', join(workDir, 'data')]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    run = JSON.parse(listed.stdout).items[0];

    const store = new SqliteStore({ file: join(workDir, 'data', 'loadctl.db') });
    await store.init();
    metrics = await store.listMetrics(run.id);
    await store.close();
    locustFinal = JSON.parse(readFileSync(join(workDir, 'locust-final.json'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('exits 0 and ends Finished, stopped by the plugin at the duration', () => {
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(run.status).toBe('Finished');
    expect(run.autoStopped).toBe(true);
    expect(run.statusHistory.map((change) => change.to)).toEqual(['Pending', 'Starting', 'Running', 'Finished']);
    const ranSeconds = (Date.parse(run.finishedAt!) - Date.parse(run.startedAt!)) / 1000;
    expect(ranSeconds).toBeGreaterThanOrEqual(DURATION_SECONDS);
    expect(ranSeconds).toBeLessThan(DURATION_SECONDS + 1.5);
  });

  it('stores final totals equal to Locust’s own final statistics', () => {
    const final = run.finalMetrics!;
    const locustRequests = locustFinal.reduce((sum, entry) => sum + entry.num_requests, 0);
    const locustFailures = locustFinal.reduce((sum, entry) => sum + entry.num_failures, 0);
    expect(final.totalRequests).toBeGreaterThan(0);
    expect(final.totalRequests).toBe(locustRequests);
    expect(final.totalFailures).toBe(locustFailures);
    for (const entry of locustFinal) {
      const stored = final.requestStats[`${entry.method} ${entry.name}`];
      expect(stored, `${entry.method} ${entry.name}`).toBeDefined();
      expect(stored!.numRequests).toBe(entry.num_requests);
      expect(stored!.numFailures).toBe(entry.num_failures);
    }
  });

  it('loses nothing between the target and the store but requests cut off at the stop', () => {
    const served = target.stats().served.total;
    const stored = run.finalMetrics!.totalRequests;
    expect(served - stored).toBeGreaterThanOrEqual(0);
    expect(served - stored).toBeLessThanOrEqual(USERS);
  });

  it('names endpoints as the script does', () => {
    const names = Object.keys(run.finalMetrics!.requestStats);
    expect(names).toContain('GET /api/products');
    for (const name of names) expect(SCRIPT_ENDPOINTS).toContain(name);
  });

  it('keeps one metrics document per push whose interval histograms add up to the total', () => {
    expect(metrics.length).toBeGreaterThanOrEqual(2);
    const seqs = metrics.map((snapshot) => snapshot.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(metrics[metrics.length - 1]!.totalRequests).toBe(run.finalMetrics!.totalRequests);
    const histogramTotal = metrics.reduce((sum, snapshot) => sum + countOf(snapshot.histogram), 0);
    expect(histogramTotal).toBe(run.finalMetrics!.totalRequests);
  });

  it('leaves no Locust process behind', () => {
    expect(processesWithEnv('LOADCTL_E2E_MARKER', marker)).toEqual([]);
  });

  it('prints the summary table with every endpoint', () => {
    expect(result.stdout).toContain('Finished');
    for (const name of Object.keys(run.finalMetrics!.requestStats)) expect(result.stdout).toContain(name);
  });
});
