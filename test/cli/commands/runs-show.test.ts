import { afterEach, describe, expect, it } from 'vitest';
import { renderRequirements, renderStatusHistory, showRun } from '../../../src/cli/commands/runs-show.js';
import { ApiClient } from '../../../src/controlplane/client.js';
import type { StatusChange } from '../../../src/domain/types.js';
import { ANSI, makeMetricsSnapshot } from '../render/_fixtures.js';
import { captureIo } from './_io.js';
import { startFakeApi, type FakeApi } from './_fake-api.js';

const HISTORY: StatusChange[] = [
  { from: null, to: 'Pending', at: '2026-11-28T10:00:58.000Z', reason: 'run requested' },
  { from: 'Pending', to: 'Starting', at: '2026-11-28T10:00:58.100Z', reason: 'launching Locust' },
  { from: 'Starting', to: 'Running', at: '2026-11-28T10:01:00.000Z' },
  { from: 'Running', to: 'Finished', at: '2026-11-28T10:01:30.000Z', reason: 'duration of 30s elapsed' },
];

describe('loadctl runs show', () => {
  let api: FakeApi | undefined;
  afterEach(async () => api?.close());

  it('lists each transition with its offset from the start and its reason, aligned', () => {
    const lines = renderStatusHistory({ createdAt: HISTORY[0]!.at, statusHistory: HISTORY }, { color: false }).split('\n');
    expect(lines[0]).toBe('Status history');
    expect(lines.slice(1).map((line) => line.replace(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}/, ''))).toEqual([
      'Pending   +0.0s  run requested',
      'Starting  +0.1s  launching Locust',
      'Running   +2.0s',
      'Finished  +32.0s  duration of 30s elapsed',
    ]);
    expect(renderStatusHistory({ createdAt: HISTORY[0]!.at, statusHistory: HISTORY }, { color: true })).toMatch(ANSI);
  });

  it('prints the summary under the test’s name, then the history; --json prints the run', async () => {
    api = await startFakeApi({ status: 'Finished', statusHistory: HISTORY, finishedAt: '2026-11-28T10:01:30.000Z', autoStopped: true, finalMetrics: makeMetricsSnapshot() });
    const deps = (captured: ReturnType<typeof captureIo>) => ({ client: new ApiClient({ baseUrl: api!.url }), io: captured.io, now: () => new Date() });
    const human = captureIo();
    expect(await showRun({ runId: api.run().id, json: false }, deps(human))).toBe(0);
    expect(human.stdout()).toContain(`products-api · run ${api.run().id}  Finished`);
    expect(human.stdout()).toMatch(/GET \/api\/products/);
    expect(human.stdout()).toMatch(/Status history\n.*Pending/);
    expect(human.stdout()).not.toMatch(ANSI);

    const json = captureIo();
    await showRun({ runId: api.run().id, json: true }, deps(json));
    expect(JSON.parse(json.stdout())).toEqual(api.run());
  });

  it('shows the run’s Python requirements with their hash; nothing for a run without (or stored before them)', () => {
    const shown = renderRequirements({ requirements: { text: 'inflection==0.5.1\nsix>=1.16\n', sha256: 'ab12cd34ef56'.padEnd(64, '0') } }, { color: false });
    expect(shown.split('\n')).toEqual(['Python requirements (sha256 ab12cd34ef56)', '  inflection==0.5.1', '  six>=1.16']);
    expect(renderRequirements({}, { color: false })).toBe('');
  });

  it('passes an unknown id on as the server’s not-found error', async () => {
    api = await startFakeApi();
    const captured = captureIo();
    await expect(showRun({ runId: 'run_missing', json: false }, { client: new ApiClient({ baseUrl: api.url }), io: captured.io, now: () => new Date() })).rejects.toMatchObject({ code: 'LOADCTL_RUN_NOT_FOUND', exitCategory: 'usage' });
  });
});
