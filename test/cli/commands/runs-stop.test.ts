import { afterEach, describe, expect, it } from 'vitest';
import { stopRunCommand } from '../../../src/cli/commands/runs-stop.js';
import { ApiClient } from '../../../src/controlplane/client.js';
import { captureIo } from './_io.js';
import { startFakeApi, type FakeApi } from './_fake-api.js';

const at = (seconds: number): string => new Date(Date.UTC(2026, 10, 28, 10, 1, seconds)).toISOString();

describe('loadctl runs stop', () => {
  let api: FakeApi | undefined;
  afterEach(async () => api?.close());

  const stop = async (options: { runId?: string; wait?: boolean; timeoutSeconds?: number; json?: boolean } = {}) => {
    const captured = captureIo();
    const code = await stopRunCommand(
      { runId: options.runId ?? api!.run().id, wait: options.wait ?? true, timeoutSeconds: options.timeoutSeconds ?? 5, json: options.json ?? false },
      { client: new ApiClient({ baseUrl: api!.url }), io: captured.io, now: () => new Date() },
    );
    return { code, stdout: captured.stdout(), stderr: captured.stderr() };
  };

  it('asks once, waits until the run has ended and prints its final status', async () => {
    api = await startFakeApi();
    api.onStop(() => {
      api!.update({ status: 'Stopping' });
      setTimeout(() => api!.update({ status: 'Stopped', statusHistory: [{ from: 'Stopping', to: 'Stopped', at: at(9), reason: 'stopped on request' }] }), 200);
    });
    const result = await stop();
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Run ${api.run().id}: Stopped (stopped on request)\n`);
    expect(api.requests.filter((request) => request.endsWith('/stop'))).toHaveLength(1);
  });

  it('with --no-wait returns as soon as the stop is requested', async () => {
    api = await startFakeApi();
    api.onStop(() => api!.update({ status: 'Stopping' }));
    const result = await stop({ wait: false });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Stopping');
    expect(result.stderr).toContain('not waiting');
    expect(api.requests.some((request) => request.endsWith('/events'))).toBe(false);
  });

  it('gives up at the deadline with exit 2 and says what is still going on', async () => {
    api = await startFakeApi();
    api.onStop(() => api!.update({ status: 'Stopping' }));
    const started = Date.now();
    const result = await stop({ timeoutSeconds: 0.3 });
    expect(result.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.stderr).toMatch(/is still Stopping after 0\.3s/);
  });

  it('treats a run that had already ended as done (exit 0), and --json prints the run', async () => {
    api = await startFakeApi({ status: 'Finished', finishedAt: at(30) });
    const result = await stop({ json: true });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: api.run().id, status: 'Finished' });
  });

  it('passes an unknown id on as the server’s not-found error', async () => {
    api = await startFakeApi();
    await expect(stop({ runId: 'run_missing' })).rejects.toMatchObject({ code: 'LOADCTL_RUN_NOT_FOUND', message: expect.stringContaining('run_missing') });
  });
});
