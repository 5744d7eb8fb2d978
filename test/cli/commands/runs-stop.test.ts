// `loadctl runs stop` against a real control plane and real Locust. A run held after Locust
// answers but before it is swarmed stays Stopping (Locust took the stop, no final report comes)
// for as long as the test holds it: the no-wait and deadline cases need no hand-made server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopRunCommand } from '../../../src/cli/commands/runs-stop.js';
import { waitFor } from '../../support/serve.js';
import { captureIo } from './_io.js';
import { startRealApi, type RealApi } from './_real-api.js';

describe('loadctl runs stop', () => {
  let api: RealApi;
  beforeAll(async () => {
    api = await startRealApi();
  });
  afterAll(async () => api?.close());

  const stop = async (runId: string, options: { wait?: boolean; timeoutSeconds?: number; json?: boolean } = {}) => {
    const captured = captureIo();
    const code = await stopRunCommand(
      { runId, wait: options.wait ?? true, timeoutSeconds: options.timeoutSeconds ?? 30, json: options.json ?? false },
      { client: api.client, io: captured.io, now: () => new Date() },
    );
    return { code, stdout: captured.stdout(), stderr: captured.stderr() };
  };
  /** A run whose Locust answers but is not swarmed yet: a stop leaves it Stopping until released. */
  const heldAtReady = async () => {
    api.hold('ready');
    const run = await api.startRun();
    await waitFor(async () => (await api.store.getRun(run.id))?.locustEndpoint, Boolean, { timeoutMs: 20_000, what: 'Locust to be spawned' });
    await api.locustAnswering();
    return run;
  };

  it('asks once, waits until Locust’s final report ended the run and prints its final status', async () => {
    api.hold('none');
    const run = await api.startRun();
    await waitFor(async () => (await api.client.getRun(run.id)).status, (status) => status === 'Running', { timeoutMs: 60_000, what: 'the run to be Running' });
    const result = await stop(run.id);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Run ${run.id}: Stopped`));
    const ended = await api.client.getRun(run.id);
    expect(ended.statusHistory.map((change) => change.to)).toEqual(['Pending', 'Starting', 'Running', 'Stopping', 'Stopped']);
    expect(ended.statusHistory.filter((change) => change.to === 'Stopping')).toHaveLength(1);
  }, 90_000);

  it('with --no-wait returns as soon as the stop is requested', async () => {
    const run = await heldAtReady();
    try {
      const result = await stop(run.id, { wait: false });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Stopping');
      expect(result.stderr).toContain('not waiting');
    } finally {
      api.release();
    }
    // Released, the launch sees the stop and settles the run without swarming.
    await waitFor(async () => (await api.client.getRun(run.id)).status, (status) => status === 'Stopped', { timeoutMs: 20_000, what: 'the run to be Stopped' });
  }, 60_000);

  it('gives up at the deadline with exit 2 and says what is still going on', async () => {
    const run = await heldAtReady();
    try {
      const started = Date.now();
      const result = await stop(run.id, { timeoutSeconds: 0.3 });
      expect(result.code).toBe(2);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(result.stderr).toMatch(/is still Stopping after 0\.3s/);
    } finally {
      api.release();
    }
  }, 60_000);

  it('treats a run that had already ended as done (exit 0), and --json prints the run', async () => {
    api.hold('runtime');
    const run = await api.startRun();
    await api.callback(run.id, 'test-start', { seq: 0, totalRequests: 0, totalFailures: 0 });
    await api.callback(run.id, 'test-stop', { seq: 1, totalRequests: 3, totalFailures: 0, histogram: { '10': 3 }, autoStopped: true });
    const result = await stop(run.id, { json: true });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: run.id, status: 'Finished' });
    api.release();
  });

  it('passes an unknown id on as the server’s not-found error', async () => {
    await expect(stop('run_missing')).rejects.toMatchObject({ code: 'LOADCTL_RUN_NOT_FOUND', message: expect.stringContaining('run_missing') });
  });
});
