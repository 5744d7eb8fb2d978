import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { startCountingTarget, type CountingTarget } from '../support/counting-target.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, type ServeProcess } from '../support/serve.js';

// A real `loadctl run` against a target that notes when each request arrives, so the
// control plane's windows can be checked against what the target itself saw.
const SCRIPT = join(REPO_ROOT, 'test/e2e/fixtures/steady-counter.py');
const USERS = 3;

/** Requests the target saw arrive in (fromMs, toMs]. */
function countIn(target: CountingTarget, fromMs: number, toMs: number): number {
  return target.requests.filter((request) => request.at > fromMs && request.at <= toMs).length;
}

function runArgs(target: CountingTarget, dataDir: string, durationSeconds: number, intervalSeconds: number, extra: string[] = []): string[] {
  return [
    'run', '--script', SCRIPT, '--host', target.url,
    '--duration', String(durationSeconds), '--users', String(USERS), '--spawn-rate', String(USERS),
    '--metrics-interval', String(intervalSeconds),
    '--data-dir', dataDir, '--locust-bin', locustBinForTests(), ...extra,
  ];
}

describe('a 6 s run with a 2 s metrics interval, read back through the API', () => {
  let target: CountingTarget;
  let workDir: string;
  let result: CliResult;
  let serve: ServeProcess;
  let run: { id: string; startedAt: string; finishedAt: string };
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${serve.url}${path}`);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-windows-'));
    target = await startCountingTarget();
    result = await runCli(runArgs(target, join(workDir, 'data'), 6, 2));
    serve = await startServe(['--port', '0', '--data-dir', join(workDir, 'data'), '--locust-bin', locustBinForTests()]);
    const listed = await api<{ items: Array<typeof run> }>('/v1/runs');
    run = listed.items[0]!;
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('finishes', () => {
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it('counts in each 2 s window what the target saw in it, within the users in flight', async () => {
    const start = Date.parse(run.startedAt);
    for (const [from, to] of [[0, 2], [2, 4], [4, 6]] as const) {
      const fromMs = start + from * 1000;
      const toMs = start + to * 1000;
      const query = `from=${new Date(fromMs).toISOString()}&to=${new Date(toMs).toISOString()}`;
      const window = await api<{ requests: number }>(`/v1/runs/${run.id}/metrics/aggregate?${query}`);
      const seen = countIn(target, fromMs, toMs);
      console.log(`window ${from}-${to} s: target saw ${seen}, aggregate says ${window.requests}`);
      expect(seen).toBeGreaterThan(50);
      expect(Math.abs(window.requests - seen), `${from}-${to} s: target ${seen}, aggregate ${window.requests}`).toBeLessThanOrEqual(USERS);
    }
  });

  it('draws no timeseries point after the run finished, with or without a step', async () => {
    const finished = Date.parse(run.finishedAt);
    const { items } = await api<{ items: Array<{ seq: number; intervalStart: string; intervalEnd: string; totalRequests: number }> }>(`/v1/runs/${run.id}/metrics`);
    console.log(`pushes: ${items.map((push) => `#${push.seq} (${push.intervalStart.slice(17)}, ${push.intervalEnd.slice(17)}] ${push.totalRequests}`).join('; ')}`);
    for (const step of ['', '?step=2', '?step=1']) {
      const series = await api<{ points: Array<{ timestamp: string; rps: number }> }>(`/v1/runs/${run.id}/metrics/timeseries${step}`);
      expect(series.points.length).toBeGreaterThan(0);
      for (const point of series.points) expect(Date.parse(point.timestamp), `step ${step}: ${point.timestamp} > ${run.finishedAt}`).toBeLessThanOrEqual(finished);
      // The stop sliver is merged into the last interval: no point drops to 0 or spikes at the end.
      const rates = series.points.map((point) => point.rps);
      const steady = rates[0]!;
      console.log(`timeseries${step} rps: ${rates.map((rate) => rate.toFixed(1)).join(', ')}`);
      for (const rate of rates) expect(rate, `step ${step}: ${rates.join(', ')}`).toBeGreaterThan(steady * 0.6);
      for (const rate of rates) expect(rate, `step ${step}: ${rates.join(', ')}`).toBeLessThan(steady * 1.6);
    }
  });

  it('gives the run’s RPS as its requests over its duration, the same in /summary and /aggregate', async () => {
    const summary = await api<{ durationSeconds: number; totals: { requests: number; rps: number } }>(`/v1/runs/${run.id}/summary`);
    const whole = await api<{ requests: number; rps: number }>(`/v1/runs/${run.id}/metrics/aggregate`);
    const expected = summary.totals.requests / summary.durationSeconds;
    console.log(`run: ${summary.totals.requests} requests in ${summary.durationSeconds} s: summary rps ${summary.totals.rps}, aggregate rps ${whole.rps}, requests/duration ${expected}`);
    expect(summary.totals.rps).toBeCloseTo(expected, 6);
    expect(whole.requests).toBe(summary.totals.requests);
    expect(whole.rps).toBeCloseTo(expected, 6);
    // Everything the target saw, but the requests cut off by the stop.
    expect(target.requests.length - summary.totals.requests).toBeGreaterThanOrEqual(0);
    expect(target.requests.length - summary.totals.requests).toBeLessThanOrEqual(USERS);
  });

  it('gives the first push a real rate: its requests over its interval', async () => {
    const { items } = await api<{ items: Array<{ totalRps: number; totalRequests: number; timestamp: string }> }>(`/v1/runs/${run.id}/metrics`);
    const first = items[0]!;
    const seconds = (Date.parse(first.timestamp) - Date.parse(run.startedAt)) / 1000;
    console.log(`first push: ${first.totalRequests} requests in ${seconds} s, totalRps ${first.totalRps}`);
    expect(first.totalRequests).toBeGreaterThan(50);
    expect(first.totalRps).toBeCloseTo(first.totalRequests / seconds, 1);
  });
});

describe('a run shorter than one metrics interval', () => {
  let target: CountingTarget;
  let workDir: string;
  let result: CliResult;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-windows-short-'));
    target = await startCountingTarget();
    result = await runCli(runArgs(target, join(workDir, 'data'), 1, 2, ['--json', join(workDir, 'report.json')]));
  }, 120_000);

  afterAll(async () => {
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('reports the users it ran as its peak', () => {
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(join(workDir, 'report.json'), 'utf8'));
    console.log(`1 s run, interval 2 s: peak users ${report.summary.users.peak} of ${USERS}`);
    expect(report.summary.users.peak).toBe(USERS);
  });
});
