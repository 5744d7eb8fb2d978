// `loadctl runs watch` against a real control plane: the run is held before Locust and moved
// by the plugin's own callbacks, so each exit code follows a state the server really reached.
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchRunCommand } from '../../../src/cli/commands/runs-watch.js';
import type { RunView } from '../../../src/controlplane/views.js';
import { makeMetricsSnapshot } from '../render/_fixtures.js';
import { waitFor } from '../../support/serve.js';
import { captureIo } from './_io.js';
import { startRealApi, type RealApi } from './_real-api.js';

const push = (seq: number, totalRequests: number) => {
  const { requestStats: _keyed, ...snapshot } = makeMetricsSnapshot({ seq, timestamp: new Date().toISOString() });
  return { ...snapshot, requestStats: _keyed, totalRequests, histogram: { '40': totalRequests } };
};

describe('loadctl runs watch', () => {
  let api: RealApi;
  beforeAll(async () => {
    api = await startRealApi();
    api.hold('runtime');
  });
  afterAll(async () => api?.close());

  const watch = (run: RunView, signals = new EventEmitter(), json = false) => {
    const captured = captureIo();
    const done = watchRunCommand({ runId: run.id, json, signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'> }, { client: api.client, io: captured.io, now: () => new Date() });
    // The watcher has read the run and follows it once it printed its status.
    const following = () => waitFor(async () => captured.stdout(), (text) => text.includes(`${run.id} Running`), { timeoutMs: 10_000, what: 'the watcher to print the run' });
    return { done, signals, captured, following };
  };
  const runningRun = async (body: Record<string, unknown> = {}): Promise<RunView> => {
    const run = await api.startRun(body);
    await api.callback(run.id, 'test-start', { seq: 0, totalRequests: 0, totalFailures: 0 });
    return run;
  };

  it('prints a plain line per push and exits 0 when the run finishes', async () => {
    const run = await runningRun({ defaultThresholds: false });
    const { done, captured, following } = watch(run);
    await following();
    await api.callback(run.id, 'metrics', push(1, 42));
    await waitFor(async () => captured.stdout(), (text) => /reqs 42 \|/.test(text), { timeoutMs: 10_000, what: 'the line of the push' });
    await api.callback(run.id, 'test-stop', { ...push(2, 50), autoStopped: true });
    expect(await done).toBe(0);
    expect(captured.stdout()).toMatch(/reqs 42 \|/);
    expect(captured.stdout()).toContain('Finished (stopped automatically when the duration elapsed)');
  });

  it('exits 1 like `loadctl run` when the server judges a threshold failed, and shows the thresholds', async () => {
    const run = await runningRun({ thresholds: ['p95<1ms'], defaultThresholds: false });
    const { done, captured } = watch(run);
    await api.callback(run.id, 'metrics', push(1, 40));
    await api.callback(run.id, 'test-stop', { ...push(2, 50), autoStopped: true });
    expect(await done).toBe(1);
    expect(captured.stdout()).toContain('Thresholds: 1 of 1 failed');
    expect(captured.stdout()).toMatch(/FAIL +│ p95<1ms +│ +40 ms │ +< 1 ms/);
  });

  it('exits 2 like `loadctl run` when the run ends Stopped', async () => {
    const run = await runningRun();
    const { done } = watch(run);
    await api.callback(run.id, 'test-stop', { ...push(1, 10), autoStopped: false });
    expect(await done).toBe(2);
    expect((await api.client.getRun(run.id)).status).toBe('Stopped');
  });

  it('on Ctrl+C stops watching with exit 130 and leaves the run alone', async () => {
    const run = await runningRun();
    const { done, signals, captured, following } = watch(run);
    await following();
    await api.callback(run.id, 'metrics', push(1, 5));
    signals.emit('SIGINT');
    expect(await done).toBe(130);
    const after = await api.client.getRun(run.id);
    expect(after.status).toBe('Running');
    expect(after.statusHistory.map((change) => change.to)).toEqual(['Pending', 'Starting', 'Running']);
    expect(captured.stderr()).toContain(`run ${run.id} is still Running`);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('with --json prints only the final run', async () => {
    const run = await api.startRun();
    await api.controlPlane.orchestrator.failRun(run.id, 'Locust exited');
    const { done, captured } = watch(run, undefined, true);
    expect(await done).toBe(2);
    expect(JSON.parse(captured.stdout())).toMatchObject({ id: run.id, status: 'Failed', error: 'Locust exited' });
  });
});
