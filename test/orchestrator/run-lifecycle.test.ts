// Issue 10, run lifecycle: whatever arrives when, a run ends with the right status and numbers.
// A real control plane, a real Locust (web-UI mode, as loadctl starts it) and a relay between
// the plugin and the control plane that loses or refuses the callbacks each test names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countOf } from '../../src/domain/histogram.js';
import type { MetricsSnapshot, Run } from '../../src/domain/types.js';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { REPO_ROOT } from '../support/cli.js';
import { startLifecycleRig, type LifecycleRig, type RelayAction } from '../support/lifecycle-rig.js';
import { processesWithEnv } from '../support/processes.js';
import { waitFor } from '../support/serve.js';
import { cmdlineOf, http } from '../reliability/_support.js';

const SCRIPT = readFileSync(join(REPO_ROOT, 'locust/examples/products.py')).toString('base64');
const TERMINAL = ['Finished', 'Stopped', 'Failed'];
const LOST: RelayAction = { forward: false, answer: 200 };

const histogramSum = (metrics: readonly MetricsSnapshot[]): number => metrics.reduce((sum, m) => sum + countOf(m.histogram), 0);

describe('run lifecycle (issue 10)', { timeout: 90_000 }, () => {
  let target: DemoTarget;
  let rig: LifecycleRig | undefined;

  beforeAll(async () => {
    target = await startDemoTarget({ port: 0 });
  });
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });
  afterAll(async () => {
    await target?.close();
  });

  async function startRun(durationSeconds: number): Promise<string> {
    const created = await http('POST', `${rig!.url}/v1/load-tests`, { name: 'lifecycle', targetUrl: target.url, scriptContent: SCRIPT, defaultUsers: 2, defaultSpawnRate: 2 });
    expect(created.status, created.text).toBe(201);
    const started = await http('POST', `${rig!.url}/v1/load-tests/${created.json.id}/runs`, { durationSeconds });
    expect(started.status, started.text).toBe(201);
    return started.json.id as string;
  }

  async function endOf(runId: string, timeoutMs: number): Promise<Run> {
    return waitFor(async () => rig!.store.getRun(runId), (run) => TERMINAL.includes(run?.status ?? ''), { timeoutMs, what: `run ${runId} to end` }) as Promise<Run>;
  }

  it('5: a push stored but not acknowledged is not counted twice: histograms add up to the totals exactly', async () => {
    // seq 2 reaches the control plane, but the plugin is told 400: its next delta repeats seq 2's requests
    rig = await startLifecycleRig({ decide: (kind, body) => (kind === 'metrics' && body.seq === 2 ? { forward: true, answer: 400 } : { forward: true }) });
    const runId = await startRun(5);
    const run = await endOf(runId, 60_000);
    const metrics = await rig.store.listMetrics(runId);
    const next = rig.relayed.find((callback) => callback.body.seq === 3)!;
    console.info(`[lifecycle] stored-not-acked: ${run.status}; stored seqs ${metrics.map((m) => `${m.seq}:+${countOf(m.histogram)}`).join(' ')}; histograms ${histogramSum(metrics)} for ${run.finalMetrics?.totalRequests} requests`);

    expect(run.status, run.error).toBe('Finished');
    expect(metrics.map((m) => m.seq)).toContain(2);
    expect(next.body.histogramBaseSeq).toBe(1);
    expect(run.finalMetrics!.totalRequests).toBeGreaterThan(0);
    expect(histogramSum(metrics)).toBe(run.finalMetrics!.totalRequests);
  });

  it('4: test-start lost and test-stop arrives while Starting: Finished with its numbers, through Running', async () => {
    // no metrics push before the stop: the interval is longer than the duration
    rig = await startLifecycleRig({ metricsIntervalSeconds: 10, timeouts: { firstCallbackMs: 20_000 }, decide: (kind) => (kind === 'test-start' ? LOST : { forward: true }) });
    // 3 s: still shorter than the interval, and long enough for requests on a busy machine
    const runId = await startRun(3);
    const run = await endOf(runId, 40_000);
    // The relay notes a callback once its answer is back, which is after the run's terminal write.
    await waitFor(async () => rig!.relayed.length, (count) => count >= 2, { timeoutMs: 5_000, what: 'the relay to note the test-stop' });

    expect(rig.relayed.map((callback) => callback.kind)).toEqual(['test-start', 'test-stop']);
    expect(run.status, run.error).toBe('Finished');
    expect(run.autoStopped).toBe(true);
    expect(run.finalMetrics!.totalRequests).toBeGreaterThan(0);
    expect(run.statusHistory.map((change) => change.to)).toEqual(['Pending', 'Starting', 'Running', 'Finished']);
    expect(run.startedAt).toBeDefined();
  });

  it('1: the final test-stop is refused (400): the watchdog fetches the final report from Locust and the run ends Finished', async () => {
    const timeouts = { silenceFloorMs: 2_000, durationGraceMs: 2_000, watchdogEveryMs: 200 };
    rig = await startLifecycleRig({ timeouts, decide: (kind) => (kind === 'test-stop' ? { forward: false, answer: 400 } : { forward: true }) });
    const runId = await startRun(2);
    const started = Date.now();
    const run = await endOf(runId, 30_000);
    const refused = rig.relayed.find((callback) => callback.kind === 'test-stop')!;
    const metrics = await rig.store.listMetrics(runId);
    console.info(`[lifecycle] refused test-stop: ${run.status} after ${Date.now() - started} ms: ${run.statusHistory.at(-1)?.reason}`);

    expect(refused.answered).toBe(400);
    expect(run.status, run.error).toBe('Finished');
    expect(run.autoStopped).toBe(true);
    expect(run.statusHistory.at(-1)?.reason).toMatch(/final report fetched from Locust/);
    // the very report the control plane never received
    expect(run.finalMetrics!.seq).toBe(refused.body.seq);
    expect(run.finalMetrics!.totalRequests).toBe(refused.body.totalRequests);
    expect(histogramSum(metrics)).toBe(run.finalMetrics!.totalRequests);
    await rig.orchestrator.released(runId);
    expect(rig.orchestrator.activeRunIds()).toEqual([]);
  });

  it('1: the run goes silent before its duration and Locust answers: the watchdog stops it, Stopped with its final numbers', async () => {
    const timeouts = { silenceFloorMs: 2_000, durationGraceMs: 2_000, watchdogEveryMs: 200 };
    let heard = 0;
    // test-start and one push get through, then the control plane is unreachable (503 from the relay)
    rig = await startLifecycleRig({ timeouts, decide: () => (++heard <= 2 ? { forward: true } : { forward: false, answer: 503 }) });
    const runId = await startRun(120);
    const run = await endOf(runId, 30_000);
    console.info(`[lifecycle] silent run: ${run.status}: ${run.statusHistory.at(-1)?.reason}`);

    expect(run.status, run.error).toBe('Stopped');
    expect(run.autoStopped).toBe(false);
    expect(run.statusHistory.at(-1)?.reason).toMatch(/^stopped \(final report fetched from Locust: no push from the Locust plugin for/);
    // the report is newer than the last push the control plane heard
    expect(run.finalMetrics!.seq).toBeGreaterThan(1);
    expect(run.finalMetrics!.totalRequests).toBeGreaterThan(0);
    expect(histogramSum(await rig.store.listMetrics(runId))).toBe(run.finalMetrics!.totalRequests);
  });

  it('1: the run goes silent and Locust does not answer either: Failed with the reason', async () => {
    const timeouts = { silenceFloorMs: 2_000, durationGraceMs: 2_000, watchdogEveryMs: 200, finalReportMs: 2_000, quitGraceMs: 1_000 };
    let heard = 0;
    // test-start and one push get through, then the control plane hears nothing more
    rig = await startLifecycleRig({ timeouts, decide: () => (++heard <= 2 ? { forward: true } : LOST) });
    const runId = await startRun(120);
    await waitFor(async () => rig!.store.getRun(runId), (run) => run?.status === 'Running' && run.lastMetrics !== undefined, { timeoutMs: 30_000, what: 'the run to be Running with a push' });
    const locust = processesWithEnv('LOADCTL_PARENT_PID', String(process.pid)).filter((pid) => cmdlineOf(pid).includes('-f'));
    expect(locust).toHaveLength(1);
    process.kill(locust[0]!, 'SIGSTOP');
    try {
      const run = await endOf(runId, 30_000);
      expect(run.status).toBe('Failed');
      expect(run.error).toMatch(/no push from the Locust plugin for [\d.]+s .*Locust did not give its final report/);
    } finally {
      process.kill(locust[0]!, 'SIGCONT');
    }
  });
});
