import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { watchRunCommand } from '../../../src/cli/commands/runs-watch.js';
import { ApiClient } from '../../../src/controlplane/client.js';
import { waitFor } from '../../support/serve.js';
import { makeMetricsSnapshot } from '../render/_fixtures.js';
import { captureIo } from './_io.js';
import { startFakeApi, type FakeApi } from './_fake-api.js';

describe('loadctl runs watch', () => {
  let api: FakeApi | undefined;
  afterEach(async () => api?.close());

  const watch = (signals = new EventEmitter(), json = false) => {
    const captured = captureIo();
    const done = watchRunCommand(
      { runId: api!.run().id, json, signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'> },
      { client: new ApiClient({ baseUrl: api!.url }), io: captured.io, now: () => new Date() },
    );
    return { done, signals, captured };
  };

  it('prints a plain line per push and exits 0 when the run finishes', async () => {
    api = await startFakeApi();
    const { done, captured } = watch();
    await waitFor(async () => api!.requests, (requests) => requests.some((request) => request.endsWith('/events')), { timeoutMs: 5000, what: 'the event stream' });
    api.update({ lastMetrics: makeMetricsSnapshot({ seq: 1, totalRequests: 42 }) });
    api.update({ status: 'Finished', finishedAt: new Date().toISOString(), autoStopped: true, finalMetrics: makeMetricsSnapshot({ seq: 2, totalRequests: 50 }) });
    expect(await done).toBe(0);
    expect(captured.stdout()).toMatch(/reqs 42 \|/);
    expect(captured.stdout()).toContain('Finished (stopped automatically when the duration elapsed)');
  });

  it('exits 1 like `loadctl run` when the run finishes with a failed threshold, and shows the thresholds', async () => {
    api = await startFakeApi();
    const { done, captured } = watch();
    await waitFor(async () => api!.requests, (requests) => requests.some((request) => request.endsWith('/events')), { timeoutMs: 5000, what: 'the event stream' });
    const thresholdVerdicts = [{ threshold: 'p95<1ms', metric: 'p95' as const, operator: '<' as const, limit: 1, observed: 40, passed: false }];
    api.update({ status: 'Finished', finishedAt: new Date().toISOString(), autoStopped: true, finalMetrics: makeMetricsSnapshot({ seq: 2 }), thresholdVerdicts, verdict: 'failed' });
    expect(await done).toBe(1);
    expect(captured.stdout()).toContain('Thresholds: 1 of 1 failed');
    expect(captured.stdout()).toMatch(/FAIL +│ p95<1ms +│ +40 ms │ +< 1 ms/);
  });

  it('exits 2 like `loadctl run` when the run ends Stopped', async () => {
    api = await startFakeApi();
    const { done } = watch();
    await waitFor(async () => api!.requests, (requests) => requests.some((request) => request.endsWith('/events')), { timeoutMs: 5000, what: 'the event stream' });
    api.update({ status: 'Stopped', finishedAt: new Date().toISOString() });
    expect(await done).toBe(2);
  });

  it('on Ctrl+C stops watching with exit 130 and leaves the run alone', async () => {
    api = await startFakeApi();
    const { done, signals, captured } = watch();
    await waitFor(async () => api!.requests, (requests) => requests.some((request) => request.endsWith('/events')), { timeoutMs: 5000, what: 'the event stream' });
    signals.emit('SIGINT');
    expect(await done).toBe(130);
    expect(api.requests.filter((request) => request.startsWith('POST'))).toEqual([]);
    expect(captured.stderr()).toContain(`run ${api.run().id} is still Running`);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('with --json prints only the final run', async () => {
    api = await startFakeApi({ status: 'Failed', error: 'Locust exited' });
    const { done, captured } = watch(undefined, true);
    expect(await done).toBe(2);
    expect(JSON.parse(captured.stdout())).toMatchObject({ status: 'Failed', error: 'Locust exited' });
  });
});
