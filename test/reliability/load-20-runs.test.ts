// Twenty runs at once through one `loadctl serve` (embedded store), each its own Locust with
// 2 users against the demo target, while /health is polled every 50 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import type { MetricsSnapshot } from '../../src/domain/types.js';
import { REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { startServe, waitFor, type ServeProcess } from '../support/serve.js';
import { MARKER_ENV, histogramSum, http, locustPids, newMarker, percentile, waitForNoLocust, workDir } from './_support.js';

// LOADCTL_RELIABILITY_RUNS changes the count; LOADCTL_RELIABILITY_SERVE_NODE_OPTIONS (e.g. a --require
// that starts the inspector's profiler) is handed to serve, to see where its event loop goes.
const RUNS = Number(process.env.LOADCTL_RELIABILITY_RUNS ?? 20);
const USERS = 2;
const DURATION_SECONDS = 8;
const HEALTH_EVERY_MS = 50;
const TERMINAL = ['Finished', 'Stopped', 'Failed'];

/** Resident memory of a process in MiB, 0 when it is gone. */
function rssMiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
}

describe(`${RUNS} concurrent runs through one serve`, () => {
  let work: ReturnType<typeof workDir>;
  let target: DemoTarget;
  let serve: ServeProcess;
  const marker = newMarker('load');
  const health: { at: number; ms: number; status: number }[] = [];
  // Controls for a busy machine: how late this process's own 50 ms timer fires, and how fast a
  // trivial Node HTTP server in its own process answers, polled the same way at the same time.
  const ownLagMs: number[] = [];
  const control: { at: number; ms: number; status: number }[] = [];
  let controlServer: ChildProcess | undefined;
  let allStartedAt = 0;
  let firstEndedAt = 0;
  let runs: any[];
  let metrics: MetricsSnapshot[][];
  let served: number;
  let peakLocusts = 0;
  let peakRssMiB = 0;
  let allRunningMs: number | undefined;
  let wallMs: number;

  beforeAll(async () => {
    work = workDir('load');
    target = await startDemoTarget({ port: 0 });
    const config = join(work.dir, 'loadctl.yaml');
    writeFileSync(config, 'metricsInterval: 2\n');
    serve = await startServe(['--port', '0', '--config', config, '--data-dir', join(work.dir, 'data'), '--locust-bin', locustBinForTests()], { env: { [MARKER_ENV]: marker, ...(process.env.LOADCTL_RELIABILITY_SERVE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.LOADCTL_RELIABILITY_SERVE_NODE_OPTIONS } : {}) } });
    const created = await http('POST', `${serve.url}/v1/load-tests`, {
      name: 'twenty-at-once',
      targetUrl: target.url,
      scriptContent: readFileSync(join(REPO_ROOT, 'locust/examples/products.py')).toString('base64'),
      defaultUsers: USERS,
      defaultSpawnRate: USERS,
      defaultDurationSec: DURATION_SECONDS,
    });
    expect(created.status, created.text).toBe(201);

    controlServer = spawn(process.execPath, ['-e', "const s = require('node:http').createServer((q, r) => r.end('{}')).listen(0, '127.0.0.1', () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
    const controlUrl = `http://127.0.0.1:${(await new Promise<Buffer>((resolve) => controlServer!.stdout!.once('data', resolve))).toString().trim()}`;

    // /health every 50 ms for the whole time (the next call waits for the previous one).
    let polling = true;
    const poll = async (url: string, samples: typeof health): Promise<void> => {
      while (polling) {
        const started = Date.now();
        try {
          const answer = await http('GET', url);
          samples.push({ at: started, ms: answer.ms, status: answer.status });
        } catch {
          samples.push({ at: started, ms: Date.now() - started, status: 0 });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + HEALTH_EVERY_MS - Date.now())));
      }
    };
    const poller = Promise.all([poll(`${serve.url}/health`, health), poll(controlUrl, control)]);

    let expected = Date.now() + HEALTH_EVERY_MS;
    const lagTimer = setInterval(() => {
      ownLagMs.push(Date.now() - expected);
      expected = Date.now() + HEALTH_EVERY_MS;
    }, HEALTH_EVERY_MS);
    const startedAt = Date.now();
    const started = await Promise.all(Array.from({ length: RUNS }, () => http('POST', `${serve.url}/v1/load-tests/${created.json.id}/runs`, {})));
    for (const answer of started) expect(answer.status, answer.text).toBe(201);
    const ids: string[] = started.map((answer) => answer.json.id);

    const readAll = async () => (await http('GET', `${serve.url}/v1/runs?loadTestId=${created.json.id}&limit=${RUNS}`)).json.items as any[];
    runs = await waitFor(
      async () => {
        const items = await readAll();
        const locusts = locustPids(marker);
        peakLocusts = Math.max(peakLocusts, locusts.length);
        peakRssMiB = Math.max(peakRssMiB, locusts.reduce((sum, pid) => sum + rssMiB(pid), 0));
        if (allRunningMs === undefined && items.length === RUNS && items.every((run) => run.startedAt)) {
          allRunningMs = Date.now() - startedAt;
          allStartedAt = Date.now();
        }
        if (!firstEndedAt && items.some((run) => TERMINAL.includes(run.status))) firstEndedAt = Date.now();
        return items;
      },
      (items) => items.length === RUNS && items.every((run) => TERMINAL.includes(run.status)),
      { timeoutMs: 240_000, what: `all ${RUNS} runs to end` },
    );
    wallMs = Date.now() - startedAt;
    polling = false;
    await poller;
    clearInterval(lagTimer);
    runs = ids.map((id) => runs.find((run) => run.id === id));
    metrics = await Promise.all(ids.map(async (id) => (await http('GET', `${serve.url}/v1/runs/${id}/metrics`)).json.items));
    served = target.stats().served.total;

    const latencies = health.map((sample) => sample.ms);
    const p99Of = (samples: typeof health): string => `${percentile(samples.map((sample) => sample.ms), 0.99).toFixed(1)} ms over ${samples.length}`;
    const phasesOf = (samples: typeof health): string =>
      `starting ${p99Of(samples.filter((sample) => sample.at < allStartedAt))}, all running ${p99Of(samples.filter((sample) => sample.at >= allStartedAt && sample.at < firstEndedAt))}, ending ${p99Of(samples.filter((sample) => sample.at >= firstEndedAt))}`;
    const phases = phasesOf(health);
    const byStatus = runs.reduce<Record<string, number>>((counts, run) => ({ ...counts, [run.status]: (counts[run.status] ?? 0) + 1 }), {});
    const stored = runs.reduce((sum, run) => sum + (run.finalMetrics?.totalRequests ?? 0), 0);
    console.info(
      `[reliability] ${RUNS} runs × ${USERS} users × ${DURATION_SECONDS} s: ${JSON.stringify(byStatus)} in ${wallMs} ms (all started after ${allRunningMs} ms); ` +
        `peak ${peakLocusts} Locust processes, ${Math.round(peakRssMiB)} MiB RSS together; served ${served}, stored ${stored}; ` +
        `/health ${health.length} samples, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms, non-200 ${health.filter((sample) => sample.status !== 200).length}; p99 by phase: ${phases}; control: a trivial Node server p99 ${percentile(control.map((sample) => sample.ms), 0.99).toFixed(1)} ms (${phasesOf(control)}), this process's timer lag p99 ${percentile(ownLagMs, 0.99).toFixed(1)} ms` +
        `${runs.some((run) => run.status !== 'Finished') ? `; first error: ${runs.find((run) => run.status !== 'Finished')?.error}` : ''}`,
    );
  }, 300_000);

  afterAll(async () => {
    controlServer?.kill();
    await serve?.stop();
    await target?.close();
    work?.remove();
  });

  it('finishes every run', () => {
    expect(runs.filter((run) => run.status !== 'Finished').map((run) => `${run.id}: ${run.status} ${run.error ?? ''}`)).toEqual([]);
  });

  it('stores every run’s totals: the target served what was stored, plus at most the requests cut off at each stop', () => {
    const stored = runs.reduce((sum, run) => sum + run.finalMetrics.totalRequests, 0);
    expect(stored).toBeGreaterThan(0);
    expect(served - stored).toBeGreaterThanOrEqual(0);
    expect(served - stored).toBeLessThanOrEqual(RUNS * USERS);
  });

  it('keeps each run’s pushes: unique seqs, the last one the final totals, histograms adding up to them', () => {
    runs.forEach((run, index) => {
      const pushes = metrics[index]!;
      const seqs = pushes.map((snapshot) => snapshot.seq);
      expect(new Set(seqs).size, run.id).toBe(seqs.length);
      expect(pushes[pushes.length - 1]!.totalRequests, run.id).toBe(run.finalMetrics.totalRequests);
      expect(histogramSum(pushes), run.id).toBe(run.finalMetrics.totalRequests);
    });
  });

  it('answers /health 200 throughout, with p99 under 50 ms or within twice what the machine allows a trivial server', () => {
    expect(health.length).toBeGreaterThan(50);
    expect(health.filter((sample) => sample.status !== 200)).toEqual([]);
    // On 2 busy cores even a do-nothing Node server polled alongside misses 50 ms at p99; the
    // control measures that floor, so this fails when serve itself is slow (e.g. blocking while
    // Locusts start), not when the machine is. Numbers: docs/RELIABILITY.md.
    const machineFloor = percentile(control.map((sample) => sample.ms), 0.99);
    expect(percentile(health.map((sample) => sample.ms), 0.99)).toBeLessThan(Math.max(50, 2 * machineFloor));
  });

  it('leaves no Locust behind', async () => {
    await waitForNoLocust(marker, 30_000);
  });
});
